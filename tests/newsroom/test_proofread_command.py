"""`manage.py proofread`: a JSON Lines archive checked article by article, bad lines reported, the rest checked."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase
from wagtail.models import Site

from home.models import SiteSettings

REPRINT = {
    "id": "old-1",
    "title": "我们要再接再励",
    "source": "人民日报",
    "author": "张三",
    "body": "<p>第一段。</p><p>联系电话13812345678。</p>",
}
OWN = {"id": 2, "title": "汾河湿地迎来候鸟", "source": "生态山西", "body": "第一段。\n\n第二段。"}


class ProofreadCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteSettings.objects.update_or_create(
            site=Site.objects.get(is_default_site=True), defaults={"site_name": "生态山西"}
        )

    def run_command(self, *lines, as_json=True):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
            handle.write("\n".join(lines) + "\n")
        self.addCleanup(Path(handle.name).unlink)
        out, err = StringIO(), StringIO()
        args = [handle.name, "--json"] if as_json else [handle.name]
        try:
            call_command("proofread", *args, stdout=out, stderr=err)
        except CommandError as error:
            return out.getvalue(), err.getvalue(), error
        return out.getvalue(), err.getvalue(), None

    def test_json_output_has_one_object_per_article_with_offsets_into_the_body_text(self):
        out, err, error = self.run_command(
            json.dumps(REPRINT, ensure_ascii=False), json.dumps(OWN, ensure_ascii=False)
        )
        self.assertIsNone(error)
        first, second = (json.loads(line) for line in out.splitlines())
        self.assertEqual(first["id"], "old-1")
        by_rule = {}
        for finding in first["findings"]:
            self.assertEqual(set(finding), {"rule", "level", "field", "start", "end", "text", "suggestion"})
            by_rule.setdefault(finding["rule"], []).append(finding)
        self.assertEqual(by_rule["typo"][0]["suggestion"], "再接再厉")
        phone = by_rule["personal_data"][0]
        self.assertEqual(("第一段。\n联系电话13812345678。")[phone["start"] : phone["end"]], "13812345678")
        self.assertEqual(phone["suggestion"], "138****5678")
        # The author is given, the original title is not: a reprint must name both.
        self.assertEqual([f["level"] for f in by_rule["provenance"]], ["block"])
        self.assertEqual(second, {"id": "2", "findings": []})

    def test_the_sites_own_name_is_not_a_reprint_source(self):
        out, _, _ = self.run_command(json.dumps(OWN, ensure_ascii=False))
        self.assertEqual(json.loads(out)["findings"], [])

    def test_malformed_lines_are_reported_and_the_others_still_checked(self):
        out, err, error = self.run_command(
            "{not json",
            json.dumps(OWN, ensure_ascii=False),
            "[1, 2]",
            json.dumps({"id": "x", "title": ["not", "text"]}),
        )
        self.assertEqual([json.loads(line)["id"] for line in out.splitlines()], ["2"])
        self.assertIn("第 1 行:不是有效的 JSON", err)
        self.assertIn("第 3 行:每行应为一个 JSON 对象", err)
        self.assertIn("第 4 行:字段 title 应为文本", err)
        self.assertIsNotNone(error)
        self.assertEqual(error.returncode, 1)

    def test_readable_report_in_chinese(self):
        out, _, error = self.run_command(
            json.dumps(REPRINT, ensure_ascii=False), json.dumps(OWN, ensure_ascii=False), as_json=False
        )
        self.assertIsNone(error)
        self.assertIn("稿件 old-1《我们要再接再励》", out)
        self.assertIn("[拦截] 个人信息 · 正文", out)
        self.assertIn("建议:138****5678", out)
        self.assertIn("[提示] 错别字 · 标题 第 4 字 “再接再励”", out)
        self.assertIn("稿件 2《汾河湿地迎来候鸟》:未发现问题", out)
        self.assertIn("共检查 2 篇", out)

    def test_missing_file_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "无法读取"):
            call_command("proofread", "/nonexistent/archive.jsonl", stdout=StringIO(), stderr=StringIO())
