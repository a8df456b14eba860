"""The path of one article: written, submitted, sent back, resubmitted, approved and live."""

from django.core import mail
from wagtail.models import WorkflowState

from tests.newsroom.helpers import NewsroomTestCase


class ReviewPathTests(NewsroomTestCase):
    def test_submit_goes_to_the_responsible_editor_and_stays_off_the_site(self):
        page = self.submitted()
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(self.task_state(page).reviewer, self.editor)
        self.assertEqual(self.client.get("/kepu/").status_code, 200)
        self.client.logout()
        self.assertNotContains(self.client.get("/kepu/"), page.title)

    def test_full_path_submit_reject_edit_resubmit_approve_goes_live_with_editor_name(self):
        page = self.submitted()
        response = self.workflow_action(self.editor, page, "reject", comment="导语太长,请压缩到两句。")
        self.assertEqual(response.status_code, 302)
        page = self.refreshed(page)
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_NEEDS_CHANGES)

        response = self.edit(self.reporter, page, title="黄河流域生态保护取得新进展", editor=self.editor)
        self.assertEqual(response.status_code, 302)
        page = self.refreshed(page)
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertFalse(page.live)

        response = self.workflow_action(self.editor, page, "approve")
        self.assertEqual(response.status_code, 302)
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.assertEqual(page.title, "黄河流域生态保护取得新进展")
        self.client.logout()
        html = self.client.get(page.url).content.decode()
        self.assertIn("责任编辑:王强", html)
        self.assertEqual(page.get_latest_revision().content["responsible_editor"], self.editor.pk)
        self.assertTrue(mail.outbox)
