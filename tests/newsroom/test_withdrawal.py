"""撤稿: only a chief editor withdraws, with a reason that is kept; the address answers 410; restoring is reviewed."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from articles.models import ArticlePage, ArticlePin, ArticleWithdrawal
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase

REASON = "稿件引用的监测数据来源未经核实。"


class WithdrawalTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = factories.article(
            cls.kepu, "汾河入黄口水质监测结果", "2022-05-01 09:00", slug="fenhe-shuizhi", responsible_editor=cls.editor
        )
        cls.neighbour = factories.article(cls.kepu, "汾河沿岸植树活动", "2022-05-02 09:00", slug="zhishu")

    def withdraw(self, person, **data):
        url = reverse("wagtailadmin_pages:unpublish", args=(self.article.pk,))
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(url, data)

    def test_chief_editor_sees_the_withdrawal_form(self):
        response = self.as_user(self.chief).get(reverse("wagtailadmin_pages:unpublish", args=(self.article.pk,)))
        self.assertContains(response, "撤稿理由")
        self.assertContains(response, "公开理由")

    def test_reason_is_required(self):
        response = self.withdraw(self.chief, reason="")
        self.assertContains(response, "撤稿必须填写理由")
        self.assertTrue(self.refreshed(self.article).live)

    def test_reporter_and_editor_cannot_withdraw(self):
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                response = self.withdraw(person, reason=REASON)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(self.refreshed(self.article).live)
        self.assertFalse(ArticleWithdrawal.objects.exists())

    def test_withdrawn_article_answers_410_with_date_but_not_the_private_reason(self):
        self.withdraw(self.chief, reason=REASON)
        response = Client().get("/kepu/fenhe-shuizhi/")
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "本文已撤稿", status_code=410)
        self.assertRegex(response.content.decode(), r"\d{4}年\d{1,2}月\d{1,2}日")
        self.assertNotContains(response, REASON, status_code=410)
        self.assertNotContains(response, self.article.title, status_code=410)

    @override_settings(DEBUG=True)
    def test_withdrawn_article_answers_410_with_the_notice_on_a_development_server_too(self):
        # With DEBUG on, Django answers a 404 with its own debug page; the notice must not depend on that.
        self.withdraw(self.chief, reason=REASON, reason_public="on")
        response = Client().get("/kepu/fenhe-shuizhi/")
        self.assertContains(response, "本文已撤稿", status_code=410)
        self.assertContains(response, REASON, status_code=410)

    def test_unpublished_draft_and_unknown_addresses_stay_404(self):
        factories.article(self.kepu, "从未发布的稿件", publish=False, slug="caogao")
        self.withdraw(self.chief, reason=REASON)
        for url in ("/kepu/caogao/", "/kepu/no-such-article/", "/yaowen/fenhe-shuizhi/"):
            with self.subTest(url):
                self.assertEqual(Client().get(url).status_code, 404)

    def test_only_the_address_of_an_unpublished_article_looks_for_a_withdrawal(self):
        # Every article request goes through the channel's route: live and unknown addresses pay nothing for 撤稿.
        self.withdraw(self.chief, reason=REASON)
        table = ArticleWithdrawal._meta.db_table
        for url, lookups in (("/kepu/zhishu/", 0), ("/kepu/no-such-article/", 0), ("/kepu/fenhe-shuizhi/", 1)):
            with self.subTest(url), CaptureQueriesContext(connection) as queries:
                Client().get(url)
            self.assertEqual(sum(table in query["sql"] for query in queries.captured_queries), lookups)

    def test_the_channel_and_its_feed_still_answer_next_to_a_withdrawn_article(self):
        self.withdraw(self.chief, reason=REASON)
        self.assertEqual(Client().get("/kepu/").status_code, 200)
        self.assertEqual(Client().get("/kepu/feed/").status_code, 200)

    def test_public_reason_is_shown_to_readers(self):
        self.withdraw(self.chief, reason=REASON, reason_public="on")
        self.assertContains(Client().get("/kepu/fenhe-shuizhi/"), REASON, status_code=410)

    def test_withdrawn_article_leaves_lists_feeds_search_and_sitemap(self):
        self.withdraw(self.chief, reason=REASON)
        for url in ("/", "/kepu/", "/rss/", "/kepu/feed/", "/sitemap.xml", "/search/?q=汾河", self.neighbour.url):
            with self.subTest(url):
                response = Client().get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, self.article.title)
                self.assertNotContains(response, "fenhe-shuizhi")

    def test_reason_is_kept_and_in_the_page_history(self):
        self.withdraw(self.chief, reason=REASON)
        withdrawal = ArticleWithdrawal.objects.get(page=self.article)
        self.assertEqual((withdrawal.reason, withdrawal.withdrawn_by), (REASON, self.chief))
        entry = PageLogEntry.objects.get(page=self.article, action="newsroom.article_withdrawn")
        self.assertEqual(entry.data["reason"], REASON)
        history = self.as_user(self.chief).get(reverse("wagtailadmin_pages:history", args=(self.article.pk,)))
        self.assertContains(history, REASON)

    def test_withdrawing_a_pinned_article_removes_its_pin_and_says_so(self):
        ArticlePin.objects.create(article=self.article, show_on_home=True)
        response = self.withdraw(self.chief, reason=REASON)
        self.assertFalse(ArticlePin.objects.filter(article=self.article).exists())
        self.assertContains(self.as_user(self.chief).get(response.url), "置顶已同时取消")
        history = self.as_user(self.chief).get(reverse("wagtailadmin_pages:history", args=(self.article.pk,)))
        self.assertContains(history, "置顶已取消")

    def test_listings_and_the_editor_call_a_withdrawn_article_withdrawn_not_a_draft(self):
        explorer = reverse("wagtailadmin_explore", args=(self.kepu.pk,))
        client = self.as_user(self.chief)

        def states():
            soup = BeautifulSoup(client.get(explorer).content, "html.parser")
            rows = soup.select("tbody tr")
            # The status tag reads "当前页面状态:<state>" to screen readers; the word is its last part.
            return {
                row.select_one("a[href*='/edit/']").get_text(strip=True): row.select_one(".w-status")
                .get_text(strip=True)
                .rpartition("：")[2]
                for row in rows
            }

        with CaptureQueriesContext(connection) as before:
            self.assertEqual(states()[self.article.title], "已发布")
        self.withdraw(self.chief, reason=REASON)
        with CaptureQueriesContext(connection) as after:
            self.assertEqual(states()[self.article.title], "已撤稿")
        self.assertEqual(len(after), len(before), "the state is read in the listing's query")
        self.assertEqual(states()[self.neighbour.title], "已发布")
        editor = client.get(reverse("wagtailadmin_pages:edit", args=(self.article.pk,)))
        self.assertContains(editor, "已撤稿")

    def test_restoring_goes_through_review(self):
        self.withdraw(self.chief, reason=REASON)
        # Not even a chief editor publishes it back from the editor.
        self.edit(self.chief, self.article, action="action-publish", title=self.article.title, editor=self.editor)
        self.assertFalse(self.refreshed(self.article).live)
        self.assertEqual(Client().get("/kepu/fenhe-shuizhi/").status_code, 410)

        self.edit(self.chief, self.article, title=self.article.title, editor=self.editor)
        self.assertEqual(Client().get("/kepu/fenhe-shuizhi/").status_code, 410, "restored before review")
        self.workflow_action(self.editor, self.article, "approve")
        self.assertTrue(self.refreshed(self.article).live)
        self.assertEqual(Client().get("/kepu/fenhe-shuizhi/").status_code, 200)
        self.assertIsNotNone(ArticleWithdrawal.objects.get(page=self.article).restored_at)
        entry = PageLogEntry.objects.get(page=self.article, action="newsroom.article_restored")
        self.assertEqual(entry.data["reason"], REASON)

    def test_bulk_unpublish_of_articles_is_refused(self):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "unpublish"))
        client = self.as_user(self.chief)
        response = client.post(f"{url}?id={self.article.pk}&next=/admin/", {}, follow=True)
        self.assertContains(response, "须逐篇撤稿并填写撤稿理由")
        self.assertTrue(ArticlePage.objects.get(pk=self.article.pk).live)
