"""The admin along the editorial path reads in Chinese, for every role, and so does every workflow email.

Each page is fetched as the person who uses it; the test reads what the page shows (text, tooltips,
placeholders, image text, button labels and the names screen readers announce) and fails on any English
word outside a small allowlist (tests/admin/english.py), naming the page and the words.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse
from wagtail.models import Page

from articles.models import ArticlePage
from tests import factories
from tests.admin.english import describe, english_words
from tests.admin.visible_text import response_html, visible_text
from tests.newsroom.helpers import NewsroomTestCase, article_form, form_errors

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "articles" / "emails"


class EnglishWordsTestCase(NewsroomTestCase):
    """The newsroom with a published article, a reporter's draft, and a draft under review."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = factories.article(
            cls.kepu, title="太原空气质量持续改善", slug="taiyuan-kongqi", owner=cls.reporter
        )
        cls.draft = cls.write(cls.reporter, "汾河湿地迎来越冬候鸟", "fenhe-shidi", submit=False)
        cls.in_review = cls.write(cls.reporter, "黄河流域生态保护新进展", "huanghe-baohu", submit=True)

    @classmethod
    def write(cls, person, title, slug, submit):
        """An article saved twice through the editor (so there is something to compare), maybe then submitted."""
        client = Client()
        client.force_login(person)
        add_url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", cls.kepu.pk))
        response = client.post(add_url, article_form(title=title, slug=slug, editor=cls.editor, action=None))
        assert response.status_code == 302, form_errors(response)
        page = ArticlePage.objects.get(title=title)
        action = "action-submit" if submit else None
        form = article_form(title=title, slug=slug, editor=cls.editor, action=action, text="<p>补充了数据。</p>")
        response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form)
        assert response.status_code == 302, form_errors(response)
        return ArticlePage.objects.get(pk=page.pk)

    def data_words(self):
        # Account names are shown beside people's names (王强(wangqiang)); they are data, not interface.
        return get_user_model().objects.values_list("username", flat=True)

    def assert_chinese(self, person, pages):
        """Fetch each (name, url, expected status) as the person; fail listing every page that shows English."""
        client = Client()
        if person is not None:
            client.force_login(person)
        problems = {}
        for name, url, status in pages:
            response = client.get(url, headers={"accept": "text/html"})
            who = person.username if person else "anonymous"
            self.assertEqual(response.status_code, status, f"{name} ({url}) as {who}")
            words = english_words(visible_text(response_html(response)), self.data_words())
            if words:
                problems[f"{name} ({url}) as {who}"] = words
        self.assertFalse(problems, "\n" + describe(problems))

    def shared_pages(self):
        """What every role opens: the dashboard, a channel, a new article, search, the chooser, the admin's 404."""
        return [
            ("dashboard", reverse("wagtailadmin_home"), 200),
            ("channel explorer", reverse("wagtailadmin_explore", args=(self.kepu.pk,)), 200),
            ("new article", reverse("wagtailadmin_pages:add", args=("articles", "articlepage", self.kepu.pk)), 200),
            ("page search", reverse("wagtailadmin_pages:search") + "?q=黄河", 200),
            ("page chooser", reverse("wagtailadmin_choose_page"), 200),
            ("page chooser in a channel", reverse("wagtailadmin_choose_page_child", args=(self.kepu.pk,)), 200),
            ("page chooser search", reverse("wagtailadmin_choose_page_search") + "?q=黄河", 200),
            ("admin 404", "/admin/no-such-page/", 404),
        ]

    def article_pages(self, page):
        first, last = page.revisions.order_by("pk").values_list("pk", flat=True)[:2]
        return [
            ("article editor", reverse("wagtailadmin_pages:edit", args=(page.pk,)), 200),
            ("history", reverse("wagtailadmin_pages:history", args=(page.pk,)), 200),
            ("compare revisions", reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, first, last)), 200),
            ("preview error", reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)), 200),
        ]


class AdminPagesTests(EnglishWordsTestCase):
    def test_login_page_reads_in_chinese(self):
        self.assert_chinese(None, [("login", reverse("wagtailadmin_login"), 200)])

    def test_reporter_sees_no_english_along_the_editorial_path(self):
        self.assert_chinese(self.reporter, self.shared_pages() + self.article_pages(self.draft))

    def test_responsible_editor_sees_no_english_while_reviewing(self):
        page, task_state = self.in_review, self.in_review.current_workflow_task_state
        modals = []
        for action in ("approve", "reject"):
            url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
            modals.append((f"review modal ({action})", url, 200))
        workflow_history = [("workflow history", reverse("wagtailadmin_pages:workflow_history", args=(page.pk,)), 200)]
        self.assert_chinese(self.editor, self.shared_pages() + self.article_pages(page) + modals + workflow_history)

    def test_chief_editor_sees_no_english_when_reassigning_and_withdrawing(self):
        task_state = self.in_review.current_workflow_task_state
        pages = [
            ("reassign review", reverse("newsroom_reassign_review", args=(task_state.pk,)), 200),
            ("withdraw (撤稿)", reverse("wagtailadmin_pages:unpublish", args=(self.published.pk,)), 200),
            ("usage", reverse("wagtailadmin_pages:usage", args=(self.published.pk,)), 200),
            ("published article editor", reverse("wagtailadmin_pages:edit", args=(self.published.pk,)), 200),
        ]
        self.assert_chinese(self.chief, self.shared_pages() + pages)

    def test_root_of_the_page_tree_has_a_chinese_name(self):
        self.assertEqual(Page.get_first_root_node().title, "全站")


class WorkflowEmailTests(EnglishWordsTestCase):
    def test_every_workflow_email_reads_in_chinese(self):
        rendered = []
        template_rendered.connect(lambda sender, template, **kwargs: rendered.append(template.name), weak=False)
        self.addCleanup(template_rendered.receivers.clear)
        mail.outbox.clear()

        page = self.submitted(title="汾河流域湿地保护取得新成效")  # 科普: 待审核 to 王强
        self.workflow_action(self.editor, page, "reject", comment="请补充候鸟数量。")  # 已退回 to 李明
        self.edit(self.reporter, page, editor=self.editor)  # 待审核 to 王强 again
        with self.captureOnCommitCallbacks(execute=True):  # 改派 to 赵丽; 王强 is told
            reassign = reverse("newsroom_reassign_review", args=(self.task_state(page).pk,))
            self.as_user(self.chief).post(reassign, {"reviewer": self.other_editor.pk})
        with self.captureOnCommitCallbacks(execute=True):  # moved to 要闻: its two-stage review starts again
            move = reverse("wagtailadmin_pages:move_confirm", args=(page.pk, self.yaowen.pk))
            self.as_user(self.chief).post(move)
        self.workflow_action(self.other_editor, page, "approve")  # 总编辑终审 to the chief editors
        self.workflow_action(self.chief, page, "approve", comment="同意发布。")  # 已发布 to 李明
        self.assertTrue(self.refreshed(page).live)

        templates = {path.name for path in EMAIL_TEMPLATES.glob("*.txt")}
        self.assertEqual(templates - {Path(name).name for name in rendered}, set(), "email templates never sent")
        problems = {}
        for message in mail.outbox:
            words = english_words(f"{message.subject}\n{message.body}", self.data_words())
            if words:
                problems[f"email {message.subject!r} to {', '.join(message.to)}"] = words
        self.assertFalse(problems, "\n" + describe(problems))
