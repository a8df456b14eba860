"""审校 in the review: the content checks stop a submit or an approval on a 拦截 finding, make the approver
tick 已核对 on a 提示, and keep what each check found with the revision."""

from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset

from articles.models import ArticlePage
from newsroom.models import CheckLevel, CheckRecord, SensitiveWord
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, form_errors

BLOCKED_TEXT = "<p>黄河流域生态保护取得新进展，记者联系人电话13812345678。</p>"
WARNED_TEXT = "<p>黄河流域生态保护再接再励，取得新进展。</p>"


class ProofreadingReviewTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        SensitiveWord.objects.create(word="测试敏感词", level=CheckLevel.BLOCK)

    def approve(self, person, page, acknowledged=None, comment=""):
        page = ArticlePage.objects.get(pk=page.pk)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        data = {"comment": comment}
        if acknowledged:
            data["acknowledged"] = "on"
        with self.captureOnCommitCallbacks(execute=True):
            # As the dialog sends it: errors come back in the dialog.
            return self.as_user(person).post(url, data, headers={"x-requested-with": "XMLHttpRequest"})

    def test_a_block_finding_stops_the_submit_and_keeps_the_text_as_a_draft(self):
        response, page = self.create(self.reporter, editor=self.editor, text=BLOCKED_TEXT)
        # Not submitted, but not lost either: saved as a draft, and the editor opens on it again.
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        self.assertIsNone(page.current_workflow_state)
        self.assertFalse(page.live)
        self.assertIn("13812345678", page.get_latest_revision().content["body"])
        response = self.client.get(response.url)
        self.assertContains(response, "已保存为草稿,未提交审核:稿件有以下问题,修改后才能提交审核")
        self.assertContains(response, "“13812345678”(正文):疑似手机号码")
        self.assertContains(response, "黄河流域生态保护新进展")  # the form shows the draft: the text is there to fix

    def test_a_refused_resubmit_keeps_the_edit_as_the_latest_draft(self):
        response, page = self.create(self.reporter, editor=self.editor, action="action-save")
        response = self.edit(self.reporter, page, editor=self.editor, text=BLOCKED_TEXT)
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        page = self.refreshed(page)
        self.assertIsNone(page.current_workflow_state)
        self.assertIn("13812345678", page.get_latest_revision().content["body"])
        messages = [str(message) for message in response.wsgi_request._messages]
        self.assertTrue(any(message.startswith("已保存为草稿,未提交审核:") for message in messages), messages)

    def test_a_refused_submit_with_a_related_article_is_kept_as_a_draft_too(self):
        related = factories.article(self.kepu, "汾河湿地保护成效显著")
        links = inline_formset([{"related_page": related.pk}])
        response, page = self.create(self.reporter, editor=self.editor, text=BLOCKED_TEXT, related_links=links)
        self.assertRedirects(response, self.edit_url(page), fetch_redirect_response=False)
        self.assertIsNone(page.current_workflow_state)
        self.assertEqual(page.get_latest_revision().as_object().chosen_related_ids, [related.pk])
        self.assertContains(self.client.get(response.url), "已保存为草稿,未提交审核")

    def test_other_form_errors_still_show_the_form_without_saving(self):
        response, page = self.create(self.reporter, text=BLOCKED_TEXT)  # no responsible editor chosen
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "提交审核或发布前,请选择责任编辑")
        self.assertIsNone(page)

    def test_a_block_finding_does_not_stop_saving_a_draft(self):
        response, page = self.create(self.reporter, editor=self.editor, text=BLOCKED_TEXT, action="action-save")
        self.assertEqual(response.status_code, 302, form_errors(response))
        self.assertFalse(page.live)
        self.assertIsNone(page.current_workflow_state)

    def test_a_word_of_the_sites_list_stops_the_submit(self):
        response, page = self.create(self.reporter, editor=self.editor, text="<p>这是一段测试敏感词。</p>")
        self.assertIsNone(page.current_workflow_state)
        self.assertContains(self.client.get(response.url), "“测试敏感词”(正文):敏感词:测试敏感词")

    def test_the_submit_keeps_what_the_checks_found_with_the_revision(self):
        page = self.submitted(editor=self.editor, text=WARNED_TEXT)
        record = CheckRecord.objects.get(revision=page.get_latest_revision(), stage="submit")
        self.assertEqual(record.checked_by, self.reporter)
        self.assertEqual([finding["rule"] for finding in record.findings], ["typo"])
        self.assertEqual(record.findings[0]["text"], "再接再励")

    def test_the_approval_dialog_lists_the_findings_and_asks_for_the_check(self):
        page = self.submitted(editor=self.editor, text=WARNED_TEXT)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        response = self.as_user(self.editor).get(url)
        html = response.json()["html"]
        self.assertIn("再接再励", html)
        self.assertIn("再接再厉", html)  # the suggestion
        self.assertIn("已核对", html)

    def test_a_warning_needs_the_approver_to_tick_checked(self):
        page = self.submitted(editor=self.editor, text=WARNED_TEXT)
        response = self.approve(self.editor, page)
        self.assertIn("请逐条核对审校提示后勾选", response.json()["html"])
        self.assertFalse(self.refreshed(page).live)
        self.assertEqual(self.task_state(page).status, TaskState.STATUS_IN_PROGRESS)

        self.approve(self.editor, page, acknowledged=True)
        self.assertTrue(self.refreshed(page).live)
        record = CheckRecord.objects.filter(revision__object_id=str(page.pk)).exclude(stage="submit").get()
        self.assertEqual(record.acknowledged_by, self.editor)
        self.assertIsNotNone(record.acknowledged_at)

    def test_an_approval_without_findings_needs_no_tick(self):
        page = self.submitted(editor=self.editor)
        self.approve(self.editor, page)
        self.assertTrue(self.refreshed(page).live)

    def test_a_block_finding_stops_the_approval_whatever_the_route(self):
        """A word added to the list after the submit: the approval is refused, from the dialog or the editor."""
        page = self.submitted(editor=self.editor, text="<p>黄河流域生态保护取得新进展。</p>")
        SensitiveWord.objects.create(word="生态保护", level=CheckLevel.BLOCK)
        response = self.approve(self.editor, page, acknowledged=True)
        self.assertIn("不能审核通过", response.json()["html"])
        self.assertFalse(self.refreshed(page).live)

        response = self.edit(self.editor, page, action="action-workflow-action", **{"workflow-action-name": "approve"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.refreshed(page).live)
        self.assertEqual(self.task_state(page).status, TaskState.STATUS_IN_PROGRESS)
        messages = [str(message) for message in response.wsgi_request._messages]
        self.assertTrue(any("不能审核通过" in message for message in messages), messages)

    def test_the_editor_shows_the_findings_in_its_proofreading_panel(self):
        response, page = self.create(self.reporter, editor=self.editor, text=WARNED_TEXT, action="action-save")
        response = self.as_user(self.reporter).get(self.edit_url(page))
        self.assertContains(response, "data-proofreading-panel")
        self.assertContains(response, "再接再励")
