"""Who may do what to an article, through the admin's own URLs (the role × action matrix)."""

from django.urls import reverse
from wagtail.models import PageLogEntry, WorkflowState

from articles.models import ArticlePage
from tests.newsroom.helpers import NewsroomTestCase, article_form

ADMIN_HOME = "/admin/"


class PermissionMatrixTests(NewsroomTestCase):
    def setUp(self):
        # A draft by the reporter, a draft by another reporter, and a live article by the reporter.
        _, self.own_draft = self.create(self.reporter, action=None, editor=self.editor, title="记者自己的草稿")
        _, self.others_draft = self.create(self.other_reporter, action=None, editor=self.editor, title="别人的草稿")
        self.live = self.submitted(title="已发布的稿件")
        self.workflow_action(self.editor, self.live, "approve")
        self.live = self.refreshed(self.live)
        self.assertTrue(self.live.live)

    def assert_denied(self, response):
        self.assertRedirects(response, ADMIN_HOME, fetch_redirect_response=False)

    def test_everyone_in_the_newsroom_can_open_the_new_article_form(self):
        for person in (self.reporter, self.editor, self.chief):
            with self.subTest(person=person.username):
                self.assertEqual(self.as_user(person).get(self.create_url(self.kepu)).status_code, 200)

    def test_reporter_edits_own_draft_but_not_a_colleagues(self):
        client = self.as_user(self.reporter)
        self.assertEqual(client.get(self.edit_url(self.own_draft)).status_code, 200)
        self.assert_denied(client.get(self.edit_url(self.others_draft)))

    def test_reporter_saves_a_draft_of_own_article_and_cannot_save_over_a_colleagues(self):
        revisions = self.own_draft.revisions.count()
        response = self.edit(self.reporter, self.own_draft, action=None, title="改过的标题", editor=self.editor)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.own_draft.revisions.count(), revisions + 1)
        self.assertEqual(self.refreshed(self.own_draft).get_latest_revision().as_object().title, "改过的标题")

        before = self.others_draft.revisions.count()
        self.assert_denied(self.edit(self.reporter, self.others_draft, action=None, title="篡改"))
        self.assertEqual(self.others_draft.revisions.count(), before)

    def test_responsible_editor_cannot_edit_an_article_not_under_their_review(self):
        self.assert_denied(self.as_user(self.editor).get(self.edit_url(self.others_draft)))

    def test_chief_editor_edits_any_article(self):
        self.assertEqual(self.as_user(self.chief).get(self.edit_url(self.others_draft)).status_code, 200)

    def test_nobody_publishes_an_article_directly_not_even_a_chief_editor(self):
        # Articles go live only when their channel's review approves them (tests/newsroom/test_no_bypass.py).
        for person in (self.reporter, self.editor):
            with self.subTest(person=person.username):
                page = self.own_draft
                self.edit(person, page, action="action-publish", editor=self.editor)
                self.assertFalse(self.refreshed(page).live)
        response = self.edit(self.chief, self.others_draft, action="action-publish", editor=self.editor)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.refreshed(self.others_draft).live)

    def test_only_chief_editor_withdraws(self):
        # Wagtail's unpublish is the 撤稿 form for articles: a chief editor only, with a reason.
        url = reverse("wagtailadmin_pages:unpublish", args=(self.live.pk,))
        address = self.live.url
        for person in (self.reporter, self.editor):
            with self.subTest(person=person.username):
                self.assert_denied(self.as_user(person).post(url, {"reason": "稿件有误"}))
                self.assertTrue(self.refreshed(self.live).live)
        chief = self.as_user(self.chief)
        self.assertContains(chief.post(url), "撤稿必须填写理由。")
        self.assertTrue(self.refreshed(self.live).live)
        response = chief.post(url, {"reason": "稿件有误"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.refreshed(self.live).live)
        self.client.logout()
        self.assertEqual(self.client.get(address).status_code, 410)

    def test_reporter_deletes_own_unpublished_draft_only(self):
        delete = "wagtailadmin_pages:delete"
        client = self.as_user(self.reporter)
        self.assert_denied(client.post(reverse(delete, args=(self.live.pk,))))
        self.assert_denied(client.post(reverse(delete, args=(self.others_draft.pk,))))
        self.assertTrue(ArticlePage.objects.filter(pk__in=[self.live.pk, self.others_draft.pk]).count() == 2)
        self.assertEqual(client.post(reverse(delete, args=(self.own_draft.pk,))).status_code, 302)
        self.assertFalse(ArticlePage.objects.filter(pk=self.own_draft.pk).exists())

    def test_editor_cannot_delete_and_chief_can(self):
        url = reverse("wagtailadmin_pages:delete", args=(self.live.pk,))
        self.assert_denied(self.as_user(self.editor).post(url))
        self.assertTrue(ArticlePage.objects.filter(pk=self.live.pk).exists())
        self.assertEqual(self.as_user(self.chief).post(url).status_code, 302)
        self.assertFalse(ArticlePage.objects.filter(pk=self.live.pk).exists())

    def test_view_draft_own_yes_colleagues_no_chief_yes(self):
        view_draft = "wagtailadmin_pages:view_draft"
        self.assertContains(
            self.as_user(self.reporter).get(reverse(view_draft, args=(self.own_draft.pk,))), "记者自己的草稿"
        )
        self.assert_denied(self.as_user(self.reporter).get(reverse(view_draft, args=(self.others_draft.pk,))))
        self.assertContains(
            self.as_user(self.chief).get(reverse(view_draft, args=(self.others_draft.pk,))), "别人的草稿"
        )

    def test_preview_own_yes_colleagues_no(self):
        preview = "wagtailadmin_pages:preview_on_edit"
        data = article_form(title="预览中的标题", editor=self.editor, slug=self.own_draft.slug, action=None)
        response = self.as_user(self.reporter).post(reverse(preview, args=(self.own_draft.pk,)), data)
        self.assertEqual(response.json()["is_valid"], True)
        self.assertContains(self.client.get(reverse(preview, args=(self.own_draft.pk,))), "预览中的标题")
        denied = self.as_user(self.reporter).post(reverse(preview, args=(self.others_draft.pk,)), data)
        self.assertNotEqual(denied.status_code, 200)

    def test_reviewer_may_view_and_edit_the_article_under_review(self):
        page = self.submitted(title="审核中的稿件")
        client = self.as_user(self.editor)
        self.assertContains(client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,))), "审核中的稿件")
        self.assertEqual(client.get(self.edit_url(page)).status_code, 200)
        self.assert_denied(self.as_user(self.other_editor).get(self.edit_url(page)))

    def test_page_under_review_is_locked_for_its_reporter(self):
        page = self.submitted(title="审核中的稿件")
        before = page.revisions.count()
        self.edit(self.reporter, page, action=None, title="审核中偷偷改", editor=self.editor)
        self.assertEqual(page.revisions.count(), before)


class ReviewActionPermissionTests(NewsroomTestCase):
    def test_only_the_assigned_editor_approves(self):
        page = self.submitted()
        for person in (self.reporter, self.other_editor, self.chief):
            with self.subTest(person=person.username):
                response = self.workflow_action(person, page, "approve")
                self.assertRedirects(response, ADMIN_HOME, fetch_redirect_response=False)
                self.assertFalse(self.refreshed(page).live)
        self.workflow_action(self.editor, page, "approve")
        self.assertTrue(self.refreshed(page).live)

    def test_forged_approval_from_an_unassigned_editor_is_refused_with_403(self):
        page = self.submitted()
        task_state = self.task_state(page)
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        response = self.as_user(self.other_editor).post(
            url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.task_state(page).status, "in_progress")
        self.assertFalse(self.refreshed(page).live)

    def test_unassigned_editor_sees_no_review_buttons(self):
        page = self.submitted()
        approve, reject = 'data-workflow-action-name="approve"', 'data-workflow-action-name="reject"'
        html = self.as_user(self.chief).get(self.edit_url(page)).content.decode()
        self.assertFalse(approve in html or reject in html, "an unassigned editor is offered review buttons")
        html = self.as_user(self.editor).get(self.edit_url(page)).content.decode()
        self.assertTrue(approve in html and reject in html, "the assigned editor has no review buttons")

    def test_approve_with_comment_publishes_and_keeps_the_comment(self):
        page = self.submitted()
        self.workflow_action(self.editor, page, "approve", comment="标题很好。")
        self.assertTrue(self.refreshed(page).live)
        self.assertEqual(self.task_state(page).comment, "标题很好。")

    def test_request_changes_needs_a_comment(self):
        page = self.submitted()
        task_state = self.task_state(page)
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "reject", task_state.pk))
        response = self.as_user(self.editor).post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
        self.assertIn("退回修改时必须填写意见", response.json()["html"])
        self.assertEqual(self.task_state(page).status, "in_progress")

    def test_submitting_without_responsible_editor_is_refused_on_the_field_but_a_draft_saves(self):
        response, page = self.create(self.reporter, title="没有责任编辑的稿件", editor=None)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(page)
        self.assertContains(response, "提交审核或发布前,请选择责任编辑")
        self.assertContains(response, "没有责任编辑的稿件")  # what was typed is still in the form
        response, page = self.create(self.reporter, title="没有责任编辑的草稿", editor=None, action=None)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(page.live)
        self.assertFalse(WorkflowState.objects.filter(object_id=str(page.pk)).exists())

    def test_author_cannot_name_themselves_responsible_editor(self):
        response, page = self.create(self.editor, title="编辑自己写的稿件", editor=self.editor)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(page)
        self.assertContains(response, "不能担任自己所提交稿件的责任编辑")

    def test_double_approval_publishes_once(self):
        page = self.submitted()
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", self.task_state(page).pk))
        client = self.as_user(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            first = client.post(url, {"comment": ""})
            second = client.post(url, {"comment": ""})
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second.status_code, 302)
        self.assertTrue(self.refreshed(page).live)
        self.assertEqual(PageLogEntry.objects.filter(page=page, action="wagtail.publish").count(), 1)
