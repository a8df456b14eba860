"""Admin search in Chinese: the page chooser (相关新闻), the sidebar 搜索 and a channel list's 搜索.

Every one of them goes through the search backend's ``autocomplete()``; a reporter types part of a title
and finds the article, with its channel beside it.
"""

import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticlePage
from newsroom.roles import REPORTERS
from newsroom.setup import setup_newsroom
from search.chinese import autocomplete_text, typed_runs
from tests import factories

CHOOSER = reverse("wagtailadmin_choose_page_search")
SIDEBAR_SEARCH = reverse("wagtailadmin_pages:search")
TITLE = "山西启动林业碳汇交易试点"


def visible_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def chooser_rows(response):
    """(title, parent shown beside it) of each row of the chooser's search results."""
    html = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    found = []
    for row in rows:
        title = re.search(r'class="choose-page"[^>]*>([^<]*)</a>', row)
        parent = re.search(r'class="navigate-parent">([^<]*)</a>', row)
        if title:
            found.append((title.group(1).strip(), parent.group(1).strip() if parent else None))
    return found


class AdminSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = factories.home_page()
        groups = setup_newsroom(home)
        cls.reporter = factories.user("reporter", first_name="明", last_name="李", is_staff=True)
        cls.reporter.groups.add(groups[REPORTERS])
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        cls.carbon = factories.article(cls.yaowen, title=TITLE, date="2022-11-01 09:00")
        cls.formaldehyde = factories.article(cls.kepu, title="甲醛治理真的有用吗", date="2022-10-01 09:00")
        cls.other = factories.article(cls.kepu, title="汾河湿地迎来越冬候鸟", date="2022-09-01 09:00")

    def setUp(self):
        self.client.force_login(self.reporter)

    def choose(self, query):
        response = self.client.get(CHOOSER, {"page_type": "articles.articlepage", "q": query})
        self.assertEqual(response.status_code, 200)
        return response

    def test_chooser_search_finds_a_chinese_word_and_shows_its_channel(self):
        self.assertEqual(chooser_rows(self.choose("甲醛")), [("甲醛治理真的有用吗", "科普")])

    def test_chooser_finds_a_title_from_part_of_a_word_as_it_is_typed(self):
        # 碳汇交 is cut 碳 / 汇交 by the segmenter, against 碳汇 / 交易 in the title.
        for typed in ["碳", "碳汇", "碳汇交", "碳汇交易", "汇交易", "林业碳汇"]:
            with self.subTest(typed=typed):
                self.assertEqual(chooser_rows(self.choose(typed)), [(TITLE, "要闻")])

    def test_chooser_needs_every_typed_run_in_order(self):
        self.assertEqual(chooser_rows(self.choose("碳汇 山西")), [(TITLE, "要闻")])
        self.assertEqual(chooser_rows(self.choose("汇碳")), [])
        self.assertEqual(chooser_rows(self.choose("碳汇 甲醛")), [])

    def test_chooser_lists_the_newest_match_first(self):
        titles = [title for title, _ in chooser_rows(self.choose("治"))]
        self.assertEqual(titles, ["甲醛治理真的有用吗"])
        newer = factories.article(self.yaowen, title="大气污染治理再上新台阶", date="2022-12-01 09:00")
        titles = [title for title, _ in chooser_rows(self.choose("治理"))]
        self.assertEqual(titles, [newer.title, "甲醛治理真的有用吗"])

    def test_chooser_with_only_punctuation_finds_nothing_without_failing(self):
        for typed in ["。。", '"', "*", "NEAR(", "'", "(("]:
            with self.subTest(typed=typed):
                self.assertEqual(chooser_rows(self.choose(typed)), [])

    def test_chooser_search_reads_a_fixed_number_of_queries_whatever_the_number_of_results(self):
        for number in range(12):
            factories.article(self.kepu, title=f"碳汇项目第{number}期")

        def queries(query):
            self.choose(query)  # the first request of a process fills per-process caches
            with CaptureQueriesContext(connection) as context:
                rows = chooser_rows(self.choose(query))
            return len(rows), len(context.captured_queries)

        one, one_queries = queries("甲醛")
        many, many_queries = queries("碳汇")
        self.assertEqual((one, many), (1, 13))
        self.assertEqual(one_queries, many_queries)

    def test_sidebar_search_finds_a_chinese_word_with_its_channel(self):
        response = self.client.get(SIDEBAR_SEARCH, {"q": "碳汇"})
        self.assertEqual(response.status_code, 200)
        self.assertIn(TITLE, visible_text(response))
        self.assertRegex(
            response.content.decode(), rf'href="{reverse("wagtailadmin_explore", args=[self.yaowen.pk])}"'
        )
        self.assertNotIn("甲醛治理真的有用吗", visible_text(response))

    def test_sidebar_search_sorted_by_title_and_filtered_by_page_type(self):
        response = self.client.get(SIDEBAR_SEARCH, {"q": "治", "ordering": "title"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲醛治理真的有用吗", visible_text(response))
        response = self.client.get(SIDEBAR_SEARCH, {"q": "治", "content_type": "articles.articlepage"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲醛治理真的有用吗", visible_text(response))

    def test_search_results_endpoint_that_the_sidebar_search_updates_answers(self):
        response = self.client.get(reverse("wagtailadmin_pages:search_results"), {"q": "甲醛"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲醛治理真的有用吗", visible_text(response))

    def test_channel_list_search_finds_only_that_channels_articles(self):
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.kepu.pk]), {"q": "治理"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲醛治理真的有用吗", visible_text(response))
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.kepu.pk]), {"q": "碳汇"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(TITLE, visible_text(response))

    def test_a_renamed_article_is_found_by_its_new_title(self):
        self.formaldehyde.title = "室内空气净化指南"
        factories.publish_unreviewed(self.formaldehyde)
        self.assertEqual(chooser_rows(self.choose("净化")), [("室内空气净化指南", "科普")])
        self.assertEqual(chooser_rows(self.choose("甲醛")), [])

    def test_autocomplete_api_counts_and_slices_like_a_queryset(self):
        results = ArticlePage.objects.live().autocomplete("碳汇")
        self.assertEqual(results.count(), 1)
        self.assertEqual([page.title for page in results[:10]], [TITLE])
        self.assertEqual(ArticlePage.objects.live().autocomplete("碳汇", operator="or").count(), 1)
        self.assertEqual(ArticlePage.objects.order_by("title").autocomplete("河", order_by_relevance=False).count(), 1)

    def test_latin_words_match_from_their_beginning(self):
        factories.article(self.kepu, title="COP27中国角举行主题边会")
        self.assertEqual([title for title, _ in chooser_rows(self.choose("cop"))], ["COP27中国角举行主题边会"])
        self.assertEqual([title for title, _ in chooser_rows(self.choose("COP27中国"))], ["COP27中国角举行主题边会"])


class AutocompleteTokenTests(TestCase):
    def test_index_keeps_each_chinese_character_and_whole_latin_words(self):
        self.assertEqual(autocomplete_text("COP27中国角,PM２.５"), "cop27 中 国 角 pm2 5")

    def test_typed_text_becomes_runs_split_at_spaces_and_punctuation(self):
        self.assertEqual(typed_runs("碳汇交 山西,碳汇交"), [["碳", "汇", "交"], ["山", "西"]])
        self.assertEqual(typed_runs("“”。"), [])
