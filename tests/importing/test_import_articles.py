"""`manage.py import_articles`: good, bad and duplicate lines, re-runs, editors, bodies, the search index."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from articles.models import ArticlePage, ChannelIndexPage


def line(**fields):
    return json.dumps(fields, ensure_ascii=False)


GOOD = {
    "id": "old-1001",
    "channel": "yaowen",
    "title": "太原市汾河流域生态修复工程全面完工",
    "date": "2019-06-05 10:20",
    "subtitle": "沿岸新增湿地公园三处",
    "source": "山西日报",
    "source_url": "https://example.com/news/1001",
    "author": "张三",
    "editor": "wangqiang",
    "summary": "汾河流域生态修复工程完工。",
    "body": "第一段:汾河是山西的母亲河。\n\n第二段:工程历时三年。\n第二段的第二行。",
    "tags": ["汾河", "生态修复"],
}


class ImportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.yaowen = ChannelIndexPage.objects.get(slug="yaowen")
        cls.kepu = ChannelIndexPage.objects.get(slug="kepu")

    def run_import(self, *lines):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
            handle.write("\n".join(lines) + "\n")
        self.addCleanup(Path(handle.name).unlink)
        out, err = StringIO(), StringIO()
        call_command("import_articles", handle.name, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_file_with_good_bad_and_duplicate_lines(self):
        out, err = self.run_import(
            line(**GOOD),
            "{not json",
            line(id="old-1002", channel="科普", title="臭氧是怎样形成的", date="2020-07-01"),
            line(id="old-1003", channel="nowhere", title="栏目不存在", date="2020-07-01"),
            line(id="old-1004", channel="kepu", title="日期有误", date="去年夏天"),
            "",
            line(id="old-1005", channel="kepu", date="2020-07-01"),
            line(**{**GOOD, "title": "太原市汾河流域生态修复工程全面完工(更新)"}),
            "[1, 2]",
            line(id="old-1006", channel="kepu", title="网址有误", date="2020-07-01", source_url="not a url"),
        )
        self.assertIn("新建 2 篇,更新 1 篇,拒绝 6 行", out)
        self.assertIn("第 2 行:不是有效的 JSON", err)
        self.assertIn("第 4 行:找不到栏目“nowhere”", err)
        self.assertIn("第 5 行:无法识别的日期“去年夏天”", err)
        self.assertIn("第 7 行:缺少必填字段 title", err)
        self.assertIn("第 9 行:每行应为一个 JSON 对象", err)
        self.assertIn("第 10 行:来源网址无效", err)
        self.assertEqual(ArticlePage.objects.filter(legacy_id="old-1001").count(), 1)
        self.assertEqual(
            ArticlePage.objects.get(legacy_id="old-1001").title, "太原市汾河流域生态修复工程全面完工(更新)"
        )
        self.assertFalse(ArticlePage.objects.filter(legacy_id__in=["old-1003", "old-1004", "old-1005"]).exists())

    def test_imported_article_is_published_under_its_channel_with_its_fields(self):
        self.run_import(line(**GOOD))
        article = ArticlePage.objects.get(legacy_id="old-1001")
        self.assertTrue(article.live)
        self.assertFalse(article.has_unpublished_changes)
        self.assertEqual(article.get_parent().pk, self.yaowen.pk)
        self.assertEqual(timezone.localtime(article.date).strftime("%Y-%m-%d %H:%M"), "2019-06-05 10:20")
        self.assertEqual(article.first_published_at, article.date)
        self.assertEqual(article.subtitle, "沿岸新增湿地公园三处")
        self.assertEqual(article.source_name, "山西日报")
        self.assertEqual(article.source_url, "https://example.com/news/1001")
        self.assertEqual(article.original_author, "张三")
        self.assertEqual(article.responsible_editor.username, "wangqiang")
        self.assertEqual(article.editor_name, "")
        self.assertEqual(set(article.tags.names()), {"生态修复", "汾河"})
        paragraphs = [block.value.source for block in article.body]
        self.assertEqual(
            paragraphs, ["<p>第一段:汾河是山西的母亲河。</p>", "<p>第二段:工程历时三年。<br/>第二段的第二行。</p>"]
        )
        self.assertEqual(self.client.get(article.url).status_code, 200)

    def test_editor_by_display_name_and_unknown_editor_kept_as_text(self):
        users_before = get_user_model().objects.count()
        self.run_import(
            line(**{**GOOD, "editor": "赵丽"}),
            line(**{**GOOD, "id": "old-2", "editor": "孙老编"}),
        )
        self.assertEqual(ArticlePage.objects.get(legacy_id="old-1001").responsible_editor.username, "zhaoli")
        unknown = ArticlePage.objects.get(legacy_id="old-2")
        self.assertIsNone(unknown.responsible_editor)
        self.assertEqual(unknown.editor_name, "孙老编")
        self.assertEqual(get_user_model().objects.count(), users_before)

    def test_html_body_is_kept_as_rich_text_without_scripts(self):
        body = '<p>第一段<b>加粗</b></p><script>alert(1)</script><p onclick="x()">第二段</p>'
        self.run_import(line(**{**GOOD, "body": body}))
        html = "".join(block.value.source for block in ArticlePage.objects.get(legacy_id="old-1001").body)
        self.assertIn("<b>加粗</b>", html)
        self.assertIn("第二段", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("onclick", html)

    def test_rerun_updates_in_place_and_moves_to_a_new_channel(self):
        self.run_import(line(**GOOD))
        article = ArticlePage.objects.get(legacy_id="old-1001")
        out, _ = self.run_import(line(**{**GOOD, "channel": "kepu", "tags": ["汾河"], "summary": "新摘要"}))
        self.assertIn("新建 0 篇,更新 1 篇,拒绝 0 行", out)
        moved = ArticlePage.objects.get(legacy_id="old-1001")
        self.assertEqual(moved.pk, article.pk)
        self.assertEqual(moved.get_parent().pk, self.kepu.pk)
        self.assertEqual(moved.summary, "新摘要")
        self.assertEqual(list(moved.tags.names()), ["汾河"])
        self.assertTrue(moved.live)
        self.assertEqual(self.client.get(moved.url).status_code, 200)

    def test_imported_articles_are_searchable(self):
        self.run_import(line(**GOOD))
        titles = [page.title for page in ArticlePage.objects.live().search("湿地公园")]
        self.assertEqual(titles, ["太原市汾河流域生态修复工程全面完工"])
        response = self.client.get("/search/", {"q": "生态修复"})
        self.assertContains(response, "太原市汾河流域<mark>生态修复</mark>工程全面完工")

    def test_missing_file_is_a_command_error(self):
        with self.assertRaises(CommandError):
            call_command("import_articles", "/nonexistent/archive.jsonl", stdout=StringIO(), stderr=StringIO())

    def test_progress_bar_draws_only_on_a_terminal(self):
        from articles.management.commands.import_articles import ProgressBar

        stream = StringIO()
        bar = ProgressBar(4, stream)
        for done in range(1, 5):
            bar(done)
        bar.finish()
        self.assertIn("100% 4/4", stream.getvalue())
        _, err = self.run_import(line(**GOOD))
        self.assertNotIn("[", err)  # call_command's stderr is not a terminal
