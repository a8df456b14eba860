"""Who is emailed at each step, in Chinese, and that a broken mail server loses nothing."""

from django.core import mail
from django.test import override_settings

from tests.workflow.newsroom import NewsroomTestCase


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


class WorkflowEmailTests(NewsroomTestCase):
    def test_submission_emails_only_the_assigned_editor(self):
        self.submitted()
        self.assertEqual(recipients(), ["wangqiang@example.com"])
        self.assertIn("待审核", mail.outbox[0].subject)
        self.assertIn("李明", mail.outbox[0].body)

    def test_request_for_changes_emails_the_reporter_with_the_comment(self):
        page = self.submitted()
        mail.outbox.clear()
        self.workflow_action(self.editor, page, "reject", comment="第二段数据需要核实。")
        self.assertEqual(recipients(), ["reporter@example.com"])
        self.assertIn("已退回", mail.outbox[0].subject)
        self.assertIn("第二段数据需要核实。", mail.outbox[0].body)

    def test_approval_with_comment_emails_the_reporter_with_the_comment(self):
        page = self.submitted()
        mail.outbox.clear()
        self.workflow_action(self.editor, page, "approve", comment="写得好,已发布。")
        self.assertEqual(recipients(), ["reporter@example.com"])
        self.assertIn("已发布", mail.outbox[0].subject)
        self.assertIn("写得好,已发布。", mail.outbox[0].body)

    def test_second_stage_emails_chief_editors_and_the_reporter_only_at_the_end(self):
        page = self.submitted(channel=self.yaowen)
        mail.outbox.clear()
        self.workflow_action(self.editor, page, "approve")
        self.assertEqual(recipients(), ["chenhua@example.com", "liujun@example.com"])
        mail.outbox.clear()
        self.workflow_action(self.chief, page, "approve")
        self.assertEqual(recipients(), ["reporter@example.com"])

    def test_nobody_is_emailed_about_their_own_action(self):
        response, page = self.create(self.editor, editor=self.other_editor)
        self.assertEqual(recipients(), ["zhaoli@example.com"])
        mail.outbox.clear()
        self.workflow_action(self.other_editor, page, "approve")
        self.assertEqual(recipients(), ["wangqiang@example.com"])


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9, EMAIL_TIMEOUT=2
)
class MailServerDownTests(NewsroomTestCase):
    def test_refused_mail_connection_never_loses_the_submission_or_approval(self):
        with self.assertLogs("articles.notifications", level="ERROR") as logs:
            page = self.submitted()
            self.assertEqual(self.task_state(page).status, "in_progress")
            self.workflow_action(self.editor, page, "approve")
        self.assertTrue(self.refreshed(page).live)
        self.assertTrue(any("Mail server unavailable" in line for line in logs.output))
