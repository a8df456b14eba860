"""The site's word lists as text files: one entry a line, imported (admin and `import_wordlist`) and exported.

敏感词: ``word``, optionally ``word<TAB>level`` or ``word<TAB>level<TAB>note``, the level written 拦截 or 提示
(block or warn also do); a line without a level takes the level chosen for the whole file. 错别字:
``wrong<TAB>right``, optionally ``<TAB>note``. Blank lines and lines starting with ``#`` are skipped. A bad
line is reported with its number and the good ones are kept; a word that appears twice is counted once.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .models import CheckLevel, SensitiveWord, TypoPair, WordListVersion

# Either spelling of a level is understood: the code the export writes, or the word the admin shows.
LEVELS = {choice.value: choice.value for choice in CheckLevel} | {choice.label: choice.value for choice in CheckLevel}


class LineError(ValueError):
    """Why a line was not imported, in the editors' language."""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list = field(default_factory=list)  # (line number, reason): bad lines and repeated words

    def summary(self):
        return (
            f"新增 {self.added} 条,更新 {self.updated} 条,未变 {self.unchanged} 条,"
            f"跳过 {len(self.skipped)} 行(其中重复 {self.duplicates} 行)"
        )


def decode(data):
    """Text from an uploaded file's bytes: UTF-8, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LineError("文件不是 UTF-8 编码的文本") from error


def _text(value, name, limit, required=True):
    value = value.strip()
    if required and not value:
        raise LineError(f"缺少{name}")
    if len(value) > limit:
        raise LineError(f"{name}超过 {limit} 个字符")
    return value


class SensitiveWordFormat:
    model = SensitiveWord
    key = "word"
    fields = ["level", "note"]

    def __init__(self, level=CheckLevel.BLOCK):
        self.level = level

    def parse(self, parts):
        if len(parts) > 3:
            raise LineError("字段过多:应为“词<TAB>级别<TAB>说明”")
        word = _text(parts[0], "敏感词", 100)
        raw_level = parts[1].strip() if len(parts) > 1 else ""
        if raw_level and raw_level not in LEVELS:
            raise LineError(f"无法识别的级别“{raw_level}”,应为“拦截”或“提示”")
        note = _text(parts[2], "说明", 255, required=False) if len(parts) > 2 else ""
        return word, {"level": LEVELS.get(raw_level, self.level), "note": note}

    def line(self, entry):
        level = CheckLevel(entry.level).label
        return "\t".join([entry.word, level, entry.note] if entry.note else [entry.word, level])


class TypoPairFormat:
    model = TypoPair
    key = "wrong"
    fields = ["right", "note"]

    def parse(self, parts):
        if len(parts) < 2:
            raise LineError("缺少正确写法:应为“错误写法<TAB>正确写法”")
        if len(parts) > 3:
            raise LineError("字段过多:应为“错误写法<TAB>正确写法<TAB>说明”")
        wrong = _text(parts[0], "错误写法", 100)
        right = _text(parts[1], "正确写法", 100)
        if wrong == right:
            raise LineError("错误写法与正确写法相同")
        note = _text(parts[2], "说明", 255, required=False) if len(parts) > 2 else ""
        return wrong, {"right": right, "note": note}

    def line(self, entry):
        return "\t".join([entry.wrong, entry.right, entry.note] if entry.note else [entry.wrong, entry.right])


def parse_lines(text, text_format):
    """({key: (line number, values)}, report with the skipped lines) from the file's text."""
    entries, report = {}, ImportReport()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            key, values = text_format.parse(line.split("\t"))
        except LineError as error:
            report.skipped.append((number, str(error)))
            continue
        if key in entries:
            report.skipped.append((number, f"与第 {entries[key][0]} 行重复"))
            report.duplicates += 1
            continue
        entries[key] = (number, values)
    return entries, report


@transaction.atomic
def import_text(text, text_format, user=None):
    """Add the file's new entries and update changed ones, in bulk; returns an ImportReport."""
    entries, report = parse_lines(text, text_format)
    model, key = text_format.model, text_format.key
    # The whole list, not an IN over the file's words: a long file would pass SQLite's parameter limit.
    existing = {getattr(entry, key): entry for entry in model.objects.all()}
    new, changed = [], []
    for value, (_, values) in entries.items():
        entry = existing.get(value)
        if entry is None:
            new.append(model(**{key: value}, **values, created_by=user))
        elif any(getattr(entry, name) != wanted for name, wanted in values.items()):
            for name, wanted in values.items():
                setattr(entry, name, wanted)
            changed.append(entry)
        else:
            report.unchanged += 1
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, text_format.fields)
    report.added, report.updated = len(new), len(changed)
    if new or changed:
        # Bulk writes send no signals: the compiled lists learn of the change from this one bump.
        WordListVersion.bump(model.word_list)
    return report


def export_text(queryset, text_format):
    """The entries in the import format, one a line, ending with a newline."""
    return "".join(text_format.line(entry) + "\n" for entry in queryset)
