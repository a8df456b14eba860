"""SQL queries per admin view stay within budget, whatever the size of the archive.

Budgets (docs/performance.md, "Admin"): the dashboard ≤ 15 for every role, a channel's page list in the
explorer ≤ 20 and the same for 30 or 300 articles or with articles under review; the article editor and
the review dialog within a fixed count. Counted on the second request, as an editor who has the admin open
sees it.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticlePage
from articles.publishing import publication_without_review
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase
from tests.pagecache.helpers import page_cache_on

DASHBOARD_BUDGET = 15
EXPLORER_BUDGET = 20
# The article editor and the review dialog have no target yet: these hold them at today's count, so that
# nothing makes them worse (docs/performance.md, "Admin").
EDIT_BUDGET = 200
WORKFLOW_ACTION_BUDGET = 40


def fill(channel, count, owner):
    """``count`` live articles in ``channel``, added to the tree without revisions (quicker than publishing)."""
    for number in range(count):
        with publication_without_review("测试数据"):
            channel.add_child(
                instance=ArticlePage(
                    title=f"{channel.title}存档稿件{number}",
                    slug=f"{channel.slug}-{number}",
                    date=factories.when(f"2021-{1 + number % 12:02d}-{1 + number % 28:02d} 08:00"),
                    owner=owner,
                    live=True,
                )
            )
        channel.refresh_from_db()


@page_cache_on()  # as in production: per-process data (the site's name in the admin title) is kept per generation
class AdminQueryBudgetTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.small = factories.channel("小栏目", slug="small")
        cls.large = factories.channel("大栏目", slug="large")
        fill(cls.small, 30, cls.reporter)
        fill(cls.large, 300, cls.reporter)

    def queries(self, person, url):
        client = self.as_user(person)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(captured)

    def explore(self, channel):
        return reverse("wagtailadmin_explore", args=(channel.pk,))

    def test_dashboard_stays_within_budget_for_every_role(self):
        self.submitted(self.large, title="待王强审核的稿件", slug="budget-review")
        for person in (self.reporter, self.editor, self.chief):
            with self.subTest(person.username):
                self.assertLessEqual(self.queries(person, "/admin/"), DASHBOARD_BUDGET)

    def test_more_reviews_waiting_do_not_add_dashboard_queries(self):
        self.submitted(self.large, title="第一篇待审稿件", slug="waiting-1")
        one = self.queries(self.editor, "/admin/")
        for number in range(2, 5):
            self.submitted(self.large, title=f"第{number}篇待审稿件", slug=f"waiting-{number}")
        self.assertEqual(self.queries(self.editor, "/admin/"), one)

    def test_channel_page_list_costs_the_same_for_30_or_300_articles(self):
        small, large = (
            self.queries(self.chief, self.explore(self.small)),
            self.queries(self.chief, self.explore(self.large)),
        )
        self.assertEqual(small, large)
        self.assertLessEqual(large, EXPLORER_BUDGET)
        self.assertEqual(self.queries(self.chief, self.explore(self.large) + "?p=6"), large)

    def test_channel_page_list_costs_reporters_and_editors_the_same_for_30_or_300_articles(self):
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                small = self.queries(person, self.explore(self.small))
                self.assertEqual(self.queries(person, self.explore(self.large)), small)
                self.assertEqual(self.queries(person, self.explore(self.large) + "?p=6"), small)
                self.assertLessEqual(small, EXPLORER_BUDGET)

    def test_pieces_waiting_for_the_responsible_editor_do_not_add_to_the_editors_channel_list(self):
        """Each row under review asks whether its reader may review it (lock, editor access, actions)."""
        self.submitted(self.large, title="待王强审核的第一篇", slug="editor-review-0")
        one = self.queries(self.editor, self.explore(self.large))
        for number in range(1, 4):
            self.submitted(self.large, title=f"待王强审核的第{number + 1}篇", slug=f"editor-review-{number}")
        self.assertEqual(self.queries(self.editor, self.explore(self.large)), one)
        self.assertLessEqual(one, EXPLORER_BUDGET)

    def test_channel_under_review_shows_its_review_in_the_page_list(self):
        channel = factories.channel("审核中的栏目", slug="channel-in-review")
        channel.save_revision(user=self.chief)
        channel.get_workflow().start(channel, self.chief)
        response = self.as_user(self.chief).get(self.explore(channel))
        self.assertContains(response, "送交责任编辑审核")

    def test_articles_under_review_do_not_multiply_the_channel_list_queries(self):
        before = self.queries(self.chief, self.explore(self.large))
        for number in range(3):
            self.submitted(self.large, title=f"审核中的稿件{number}", slug=f"in-review-{number}")
        self.assertEqual(self.queries(self.chief, self.explore(self.large)), before)

    def test_article_editor_and_review_dialog_hold_their_budget_in_a_large_channel(self):
        page = self.submitted(self.large, title="大栏目里的送审稿件", slug="budget-edit")
        task_state = page.current_workflow_task_state
        edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        action = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        self.assertLessEqual(self.queries(self.editor, edit), EDIT_BUDGET)
        self.assertLessEqual(self.queries(self.editor, action), WORKFLOW_ACTION_BUDGET)
