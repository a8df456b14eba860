"""One article, one state word everywhere; and the "…" menus offer no move, copy or delete of a piece in review.

The state words are those of 我的稿件 and the editor's banner (newsroom/panels.py): 草稿, 审核中, 已退回, 已计划,
已发布.
"""

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse

from tests import factories
from tests.newsroom.helpers import NewsroomTestCase


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def listing_status(response, title):
    """The status column of the listing row whose title is ``title``."""
    for row in soup(response).select("tbody tr"):
        if title in row.get_text():
            tag = row.select_one(".w-status")
            if tag is None:
                return ""
            for hidden in tag.select(".w-sr-only"):  # "当前页面状态:" is read out, not shown
                hidden.decompose()
            return tag.get_text(" ", strip=True)
    raise AssertionError(f"{title} is not in the listing")


def header_status(response):
    """The status tag beside the title in the editor's header (shown for an article readers can see)."""
    tags = soup(response).select("header .page-status-tag")
    return {tag.get_text(" ", strip=True) for tag in tags}


def header_menu_links(response):
    """The addresses in the "…" menu of the editor's header."""
    return {link["href"].split("?")[0] for link in soup(response).select("header [data-controller~=w-dropdown] a")}


class StateWordsTestCase(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = factories.article(
            cls.kepu, title="太原空气质量持续改善", slug="taiyuan-kongqi", owner=cls.reporter
        )
        cls.draft = factories.article(
            cls.kepu, title="汾河湿地迎来越冬候鸟", slug="fenhe-shidi", owner=cls.reporter, publish=False
        )

    def setUp(self):
        self.in_review = self.submitted(title="黄河流域生态保护新进展", slug="huanghe-baohu")
        self.sent_back = self.submitted(title="太行山植树造林调查", slug="taihang-zhishu")
        self.workflow_action(self.editor, self.sent_back, "reject", comment="请补充数据来源。")

    def listing(self, person):
        return self.as_user(person).get(reverse("wagtailadmin_explore", args=(self.kepu.pk,)))

    def restructure_urls(self, page):
        return {reverse(f"wagtailadmin_pages:{name}", args=(page.pk,)) for name in ("move", "copy", "delete")}


class ListingStatusTests(StateWordsTestCase):
    def test_every_role_reads_the_same_state_words_in_the_channel_listing(self):
        expected = {
            self.published.title: "已发布",
            self.draft.title: "草稿",
            self.in_review.title: "审核中",
            self.sent_back.title: "已退回",
        }
        for person in (self.reporter, self.editor, self.chief):
            response = self.listing(person)
            found = {title: listing_status(response, title) for title in expected}
            self.assertEqual(found, expected, person.username)

    def test_a_published_article_whose_new_version_is_in_review_is_listed_as_in_review(self):
        self.edit(self.reporter, self.published, editor=self.editor, title=self.published.title)

        response = self.listing(self.editor)

        self.assertEqual(listing_status(response, self.published.title), "审核中")

    def test_the_editor_header_of_a_published_article_in_review_says_in_review(self):
        self.edit(self.reporter, self.published, editor=self.editor, title=self.published.title)

        response = self.as_user(self.editor).get(self.edit_url(self.published))

        self.assertEqual(header_status(response), {"审核中"})


class ScheduledStateTests(StateWordsTestCase):
    def test_an_approved_article_waiting_for_its_time_reads_scheduled_in_listing_dashboard_and_banner(self):
        page = self.submitted(title="定时发布的稿件", slug="dingshi", go_live_at="2031-01-01 08:00")
        self.workflow_action(self.editor, page, "approve")
        self.assertFalse(self.refreshed(page).live)

        for person in (self.reporter, self.chief):
            self.assertEqual(listing_status(self.listing(person), page.title), "已计划", person.username)
        dashboard = soup(self.as_user(self.reporter).get("/admin/"))
        row = next(row for row in dashboard.select("tr") if page.title in row.get_text())
        self.assertEqual(row.select_one("[data-article-state]").get_text(strip=True), "已计划")
        banner = soup(self.as_user(self.reporter).get(self.edit_url(page)))
        self.assertEqual(banner.select_one("[data-review-state]").get_text(strip=True), "已计划")
        self.assertIn("2031-01-01 08:00 自动发布", banner.get_text())


class LockBannerTests(StateWordsTestCase):
    def test_reporter_opening_a_piece_in_review_reads_the_lock_banner_in_chinese(self):
        response = self.as_user(self.reporter).get(self.edit_url(self.in_review))

        text = soup(response).get_text(" ", strip=True)
        self.assertIn("正在审核中", text)
        self.assertNotIn("awaiting moderation", text)


class RestructureMenuTests(StateWordsTestCase):
    def test_reporter_is_not_offered_move_copy_or_delete_in_the_editor_header_of_a_piece_in_review(self):
        response = self.as_user(self.reporter).get(self.edit_url(self.in_review))

        self.assertEqual(response.status_code, 200)
        self.assertFalse(header_menu_links(response) & self.restructure_urls(self.in_review))

    def test_responsible_editor_is_not_offered_move_copy_or_delete_of_the_piece_they_review(self):
        response = self.as_user(self.editor).get(self.edit_url(self.in_review))

        self.assertEqual(response.status_code, 200)
        self.assertFalse(header_menu_links(response) & self.restructure_urls(self.in_review))

    def test_chief_editor_is_offered_move_copy_and_delete_of_a_piece_in_review(self):
        page = self.in_review
        header = header_menu_links(self.as_user(self.chief).get(self.edit_url(page)))
        listing = self.listing(self.chief).content.decode()

        self.assertEqual(header & self.restructure_urls(page), self.restructure_urls(page))
        for url in self.restructure_urls(page):
            self.assertIn(url, listing)

    def test_reporter_is_offered_delete_again_once_the_piece_is_sent_back(self):
        delete_url = reverse("wagtailadmin_pages:delete", args=(self.sent_back.pk,))

        header = header_menu_links(self.as_user(self.reporter).get(self.edit_url(self.sent_back)))

        self.assertIn(delete_url, header)
        self.assertIn(delete_url, self.listing(self.reporter).content.decode())

    def test_reporter_following_an_old_move_link_is_told_why_in_chinese(self):
        response = self.as_user(self.reporter).get(reverse("wagtailadmin_pages:move", args=(self.in_review.pk,)))

        self.assertRedirects(response, reverse("wagtailadmin_explore", args=(self.kepu.pk,)))
        messages = " ".join(str(message) for message in get_messages(response.wsgi_request))
        self.assertIn("正在审核中,只有总编辑可以移动", messages)
