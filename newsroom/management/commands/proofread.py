"""Proofread an archive before importing it: ``python manage.py proofread FILE.jsonl [--json]``.

Reads the ``import_articles`` format (one JSON object a line: id, title, summary, body, source, author,
original_title …) and runs the 审校 content checks on every article. Offsets point into each field's
plain text; for the body that is its text with tags stripped and one line per block element.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.importing import LOOKS_LIKE_HTML, read_lines
from newsroom.checks import check_fields, shipped_typos
from newsroom.checks.sources import word_lists
from newsroom.checks.text import html_lines
from newsroom.proofreading import FIELD_NAMES, own_outlets

RULE_NAMES = {
    "sensitive": "敏感词",
    "typo": "错别字",
    "ad_law": "广告法",
    "personal_data": "个人信息",
    "provenance": "转载来源",
    "punctuation": "标点",
}
LEVEL_NAMES = {"block": "拦截", "warn": "提示"}
JSON_KEYS = ("rule", "level", "field", "start", "end", "text", "suggestion")


class LineError(ValueError):
    """A line that cannot be checked; the message says why."""


def text_field(row, name):
    value = row.get(name)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)
    if not isinstance(value, str):
        raise LineError(f"字段 {name} 应为文本")
    return value.strip()


def body_plain_text(value):
    """The body as the site will store it: HTML block elements become lines, plain text keeps its lines."""
    if LOOKS_LIKE_HTML.search(value):
        return "\n".join(html_lines(value))
    return "\n".join(line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip())


class Command(BaseCommand):
    help = "审校: check articles in a JSON Lines file (import_articles format) for 敏感词, 错别字, personal data …"

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 .jsonl file, one article a line")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON object an article, for programs"
        )

    def handle(self, *args, file, as_json=False, **options):
        lines = read_lines(file)

        word_list, typo_list = word_lists()
        context = {"own_outlets": own_outlets(), "word_list": word_list, "typo_list": typo_list}
        shipped_typos()  # compile before the first article, not inside it
        checked = with_findings = blocked = 0
        malformed = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                article_id, title, findings = self.check_line(line, context)
            except LineError as error:
                malformed.append(number)
                self.stderr.write(f"第 {number} 行:{error}")
                continue
            checked += 1
            with_findings += bool(findings)
            blocked += any(f.level == "block" for f in findings)
            if as_json:
                self.write_json(article_id, findings)
            else:
                self.write_report(number, article_id, title, findings)
        if not as_json:
            self.stdout.write(
                f"共检查 {checked} 篇:{with_findings} 篇有问题,其中 {blocked} 篇有须修改(拦截)的问题;"
                f"{len(malformed)} 行无法读取。"
            )
        if malformed:
            raise CommandError(f"{len(malformed)} 行无法读取:第 {'、'.join(map(str, malformed))} 行", returncode=1)

    def check_line(self, line, context):
        try:
            row = json.loads(line)
        except ValueError as error:
            message = getattr(error, "msg", str(error))
            column = getattr(error, "colno", None)
            raise LineError(f"不是有效的 JSON({message}" + (f",第 {column} 列)" if column else ")")) from error
        if not isinstance(row, dict):
            raise LineError("每行应为一个 JSON 对象")
        article_id = text_field(row, "id") or None
        title = text_field(row, "title")
        source = text_field(row, "source")
        fields = {
            "title": title,
            "subtitle": text_field(row, "subtitle"),
            "summary": text_field(row, "summary"),
            "body": body_plain_text(text_field(row, "body")),
        }
        findings = check_fields(
            {name: text for name, text in fields.items() if text},
            source_name=source,
            original_title=text_field(row, "original_title"),
            # As the import does: a reprint's author is its original author.
            original_author=text_field(row, "author") if source else "",
            **context,
        )
        return article_id, title, findings

    def write_json(self, article_id, findings):
        record = {"id": article_id, "findings": [{key: getattr(f, key) for key in JSON_KEYS} for f in findings]}
        self.stdout.write(json_dumps(record))

    def write_report(self, number, article_id, title, findings):
        name = f"稿件 {article_id}" if article_id else f"第 {number} 行的稿件"
        if not findings:
            self.stdout.write(f"{name}《{title}》:未发现问题")
            return
        blocks = sum(f.level == "block" for f in findings)
        self.stdout.write(f"{name}《{title}》:{len(findings)} 处问题(拦截 {blocks},提示 {len(findings) - blocks})")
        for f in findings:
            where = FIELD_NAMES.get(f.field, f.field)
            if f.end > f.start:
                where += f" 第 {f.start + 1} 字"
            line = f"  [{LEVEL_NAMES[f.level]}] {RULE_NAMES.get(f.rule, f.rule)} · {where}"
            if f.text:
                line += f" “{f.text}”"
            line += f":{f.reason}"
            if f.suggestion:
                line += f";建议:{f.suggestion}"
            self.stdout.write(line)


def json_dumps(value):
    return json.dumps(value, ensure_ascii=False)
