"""The search page on the demo portal: Chinese words find their articles, hostile input never fails."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage, ChannelIndexPage
from search.chinese import index_text, query_terms
from tests import factories


def load_demo():
    call_command("load_demo", stdout=StringIO())


def result_titles(response):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'<h2>.*?<a href="[^"]*">(.*?)</a></h2>', response.content.decode())
    ]


class DemoSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def search(self, **params):
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_each_issue_query_finds_its_article_through_the_page(self):
        expected = {
            "黄河": "我国出台黄河保护法守护母亲河(附全文)",
            "党建联盟": "山西省自然资源厅、省水利厅、省林草局签署共建协议 “守护绿水青山”党建联盟正式成立",
            "氢能": "山西着力打造氢能产业高地",
            "大气污染防治": "太原市举行2022年大气污染防治百日攻坚行动发布会 臭氧污染防治成重点",
        }
        for query, title in expected.items():
            with self.subTest(query=query):
                self.assertIn(title, result_titles(self.search(q=query)))

    def test_query_inside_an_unbroken_run_of_chinese_finds_the_article(self):
        # 黄河 sits inside 我国出台黄河保护法守护母亲河, which neither database splits by itself.
        titles = [page.title for page in ArticlePage.objects.live().search("黄河")]
        self.assertIn("我国出台黄河保护法守护母亲河(附全文)", titles)

    def test_a_word_matches_only_articles_that_contain_it(self):
        for page in ArticlePage.objects.live().search("氢能"):
            text = page.title + page.summary_text + " ".join(tag.name for tag in page.tags.all())
            self.assertIn("氢能", text)
        self.assertEqual(ArticlePage.objects.live().search("甲醛").count(), 1)

    def test_long_term_also_matches_through_its_inner_words(self):
        # 污染防治 is not a token of 大气污染防治 in the index, but 污染 and 防治 are.
        titles = [page.title for page in ArticlePage.objects.live().search("污染防治")]
        self.assertIn("临汾市生态环境系统召开秋冬季大气污染防治工作推进会", titles)

    def test_title_match_ranks_above_body_only_match(self):
        titles = [page.title for page in ArticlePage.objects.live().search("黄河保护法")]
        self.assertEqual(titles[0], "我国出台黄河保护法守护母亲河(附全文)")

    def test_results_show_channel_date_and_highlighted_summary(self):
        content = self.search(q="氢能").content.decode()
        self.assertIn("【资讯】", content)
        self.assertIn("<mark>氢能</mark>", content)
        self.assertRegex(content, r'<time datetime="\d{4}-\d\d-\d\dT')

    def test_highlighting_escapes_the_text_around_marks(self):
        page = ArticlePage.objects.get(slug="shanxi-qingneng-chanye")
        page.summary = "<b>氢能</b> & 储能"
        factories.publish_unreviewed(page)
        content = self.search(q="氢能").content.decode()
        self.assertIn("&lt;b&gt;<mark>氢能</mark>&lt;/b&gt; &amp; 储能", content)

    def test_filter_by_channel(self):
        kepu_titles = result_titles(self.search(q="黄河", channel="zixun"))
        self.assertTrue(kepu_titles)
        zixun = ChannelIndexPage.objects.get(slug="zixun")
        zixun_titles = set(ArticlePage.objects.child_of(zixun).values_list("title", flat=True))
        self.assertLessEqual(set(kepu_titles), zixun_titles)
        self.assertNotIn("我国出台黄河保护法守护母亲河(附全文)", kepu_titles)

    def test_sort_by_date_lists_newest_first(self):
        titles = result_titles(self.search(q="大气污染防治", sort="date"))
        dates = [ArticlePage.objects.get(title=title).date for title in titles]
        self.assertGreater(len(dates), 1)
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_pagination_keeps_query_and_filters(self):
        from search import views

        original = views.RESULTS_PER_PAGE
        views.RESULTS_PER_PAGE = 1
        try:
            response = self.search(q="黄河", sort="date")
        finally:
            views.RESULTS_PER_PAGE = original
        self.assertEqual(len(result_titles(response)), 1)
        self.assertIn("sort=date&amp;page=2", response.content.decode())
        self.assertIn("q=%E9%BB%84%E6%B2%B3", response.content.decode())

    def test_drafts_and_private_pages_are_not_found(self):
        draft = ArticlePage.objects.get(slug="shanxi-qingneng-chanye")
        draft.unpublish()
        private = ArticlePage.objects.get(slug="huanghe-baohufa")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
        self.assertNotIn("山西着力打造氢能产业高地", result_titles(self.search(q="氢能")))
        titles = result_titles(self.search(q="黄河"))
        self.assertTrue(titles)
        self.assertNotIn("我国出台黄河保护法守护母亲河(附全文)", titles)

    def test_hostile_queries_get_a_clear_page(self):
        queries = [
            "",
            " ",
            "黄" * 2000,
            "黄河" + "\x00\x01\x1b[31m" + "保护法",
            '"',
            '"黄河',
            "*",
            "黄河*",
            "AND",
            "黄河 AND",
            "NEAR(",
            "NEAR(黄河 氢能, 3)",
            "黄河 OR 1=1; DROP TABLE wagtailcore_page; --",
            "'); SELECT * FROM sqlite_master; --",
            "title:黄河",
            "{title body} : 黄河",
            "^黄河",
            "\\",
            "!!! ??? 。。。",
            "a" * 300,
            "🌏",
        ]
        for query in queries:
            with self.subTest(query=query[:20]):
                response = self.search(q=query)
                self.assertContains(response, "站内搜索")

    def test_control_characters_are_dropped_from_the_query(self):
        response = self.search(q="黄河\x00保护法")
        self.assertIn("我国出台黄河保护法守护母亲河(附全文)", result_titles(response))

    def test_operator_words_are_searched_as_words(self):
        self.assertEqual(result_titles(self.search(q="NEAR(")), [])
        self.assertIn("山西着力打造氢能产业高地", result_titles(self.search(q='"氢能*')))

    def test_bad_page_numbers_give_a_page(self):
        for page in ["abc", "-1", "0", "99999", "1.5", "9" * 40]:
            with self.subTest(page=page):
                response = self.search(q="黄河", page=page)
                self.assertTrue(result_titles(response))

    def test_unknown_channel_and_sort_are_ignored(self):
        self.assertTrue(result_titles(self.search(q="黄河", channel="nope", sort="random")))

    def test_empty_query_asks_for_keywords(self):
        self.assertContains(self.search(q=""), "请输入要搜索的关键词")
        self.assertContains(self.search(q="!!!"), "没有可以搜索的文字")

    def test_search_page_writes_nothing_to_the_database(self):
        self.search(q="黄河")  # warm caches (site root, settings)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.search(q="黄河")
        writes = [
            q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
        ]
        self.assertEqual(writes, [])


class SegmenterTests(TestCase):
    def test_index_and_query_share_words(self):
        indexed = index_text("我国出台黄河保护法守护母亲河").split()
        for query in ["黄河", "保护法", "母亲河"]:
            for term in query_terms(query):
                self.assertIn(term, indexed)

    def test_user_dictionary_keeps_domain_terms_whole(self):
        for term in ["林草局", "黄河流域", "双碳", "河长制", "党建联盟", "氢能"]:
            with self.subTest(term=term):
                self.assertEqual(query_terms(term), [term])

    def test_query_terms_drop_punctuation_and_operators_symbols(self):
        self.assertEqual(query_terms('"黄河*" AND NEAR('), ["黄河", "and", "near"])
        self.assertEqual(query_terms("!!! 。。。"), [])

    def test_full_width_and_case_are_folded(self):
        self.assertEqual(query_terms("ＣＯＰ２７"), ["cop27"])
        self.assertIn("cop27", index_text("COP27 中国角").split())
