"""`manage.py import_articles`: a reprint keeps its 原标题, the site's own story has none."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from articles.models import ArticlePage
from tests import factories

REPRINT = {
    "id": "old-2001",
    "channel": "kepu",
    "title": "湿地为何被称为“地球之肾”",
    "date": "2020-02-02",
    "source": "人民日报",
    "original_title": "湿地:地球之肾的秘密",
    "author": "张三",
}


class OriginalTitleImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.home_page()
        factories.channel("科普", slug="kepu")

    def run_import(self, *rows):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
            handle.write("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
        self.addCleanup(Path(handle.name).unlink)
        out, err = StringIO(), StringIO()
        call_command("import_articles", handle.name, "--no-progress", stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_a_reprint_keeps_its_original_title_and_author(self):
        self.run_import(REPRINT)
        article = ArticlePage.objects.get(legacy_id="old-2001")
        self.assertEqual((article.original_title, article.original_author), ("湿地:地球之肾的秘密", "张三"))

    def test_the_sites_own_story_has_no_original_title(self):
        self.run_import({**REPRINT, "source": ""})
        article = ArticlePage.objects.get(legacy_id="old-2001")
        self.assertEqual((article.original_title, article.byline), ("", "张三"))

    def test_an_original_title_longer_than_the_field_is_reported_and_the_line_skipped(self):
        out, err = self.run_import({**REPRINT, "original_title": "长" * 256})
        self.assertIn("第 1 行:字段 original_title 超过 255 个字符", err)
        self.assertFalse(ArticlePage.objects.filter(legacy_id="old-2001").exists())
