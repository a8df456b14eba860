"""Who is emailed at each step, in Chinese, and that a broken mail server loses nothing."""

import json
import smtplib
import subprocess
import sys
import textwrap

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from newsroom.roles import CHIEF_EDITORS
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, article_form


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

    def test_review_requests_say_what_the_approval_leads_to(self):
        self.submitted()
        self.assertIn("您审核通过后稿件即发布。您的姓名将作为“责任编辑”显示在文章页。", mail.outbox[0].body)
        mail.outbox.clear()
        page = self.submitted(channel=self.yaowen, title="要闻两级审核稿件")
        first = mail.outbox[0].body
        self.assertIn("您审核通过后,稿件交由“总编辑终审”继续审核,全部通过后发布。", first)
        self.assertIn("您的姓名将作为“责任编辑”显示在文章页。", first)
        mail.outbox.clear()
        self.workflow_action(self.editor, page, "approve")
        final = mail.outbox[0].body
        self.assertIn("您审核通过后稿件即发布。", final)
        self.assertNotIn("责任编辑", final)

    def test_a_final_stage_only_its_submitter_could_approve_goes_to_the_administrators(self):
        """A chief editor's 要闻 piece when they are the only chief editor: nobody else in the group may approve."""
        self.editor_and_chief.groups.remove(Group.objects.get(name=CHIEF_EDITORS))
        admin = factories.user("admin", "管理员", email="admin@example.com", is_superuser=True)
        response, page = self.create(self.chief, channel=self.yaowen, editor=self.editor, title="总编辑提交的要闻")
        mail.outbox.clear()
        self.workflow_action(self.editor, page, "approve")
        self.assertEqual(recipients(), [admin.email])
        self.assertIn("“总编辑终审”环节除提交人外没有可以审核的成员", mail.outbox[0].body)

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
        with self.assertLogs("newsroom.notifications", level="ERROR") as logs:
            page = self.submitted()
            self.assertEqual(self.task_state(page).status, "in_progress")
            self.workflow_action(self.editor, page, "approve")
        self.assertTrue(self.refreshed(page).live)
        self.assertTrue(any("Mail server unavailable" in line for line in logs.output))


class RefusingMailBackend(BaseEmailBackend):
    """A mail server that accepts the connection but refuses every message."""

    def send_messages(self, email_messages):
        refused = {message.to[0]: (550, b"mailbox unavailable") for message in email_messages}
        raise smtplib.SMTPRecipientsRefused(refused)


def each_message_once_in_chinese(test):
    sent = [(message.to[0], message.subject) for message in mail.outbox]
    test.assertEqual(len(sent), len(set(sent)), f"sent twice: {sent}")
    for address, subject in sent:
        test.assertTrue(subject.startswith("【"), f"not a newsroom email: {subject!r} to {address}")
        test.assertRegex(subject, "[\u4e00-\u9fff]")
    return sorted(address for address, subject in sent)


@override_settings(WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS=True)
class WagtailNotifiersReplacedTests(NewsroomTestCase):
    """Wagtail's English workflow email is never sent beside the newsroom's, whatever the app order."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Wagtail's own notifiers would email every superuser about every submission and group stage.
        cls.admin = factories.user("admin", first_name="管理员", email="admin@example.com", is_superuser=True)

    def walk_the_review(self):
        """Submit to 要闻, send back, resubmit, pass both stages; returns who was emailed at each step."""
        steps = []
        page = self.submitted(channel=self.yaowen)
        steps.append(each_message_once_in_chinese(self))
        for person, action, comment in [
            (self.editor, "reject", "请补充数据来源。"),
            (None, "resubmit", ""),
            (self.editor, "approve", ""),
            (self.chief, "approve", "同意发布。"),
        ]:
            mail.outbox.clear()
            if person is None:
                self.edit(self.reporter, page, editor=self.editor)
            else:
                self.workflow_action(person, page, action, comment=comment)
            steps.append(each_message_once_in_chinese(self))
        self.assertTrue(self.refreshed(page).live)
        return steps

    def test_each_review_step_sends_one_chinese_email_to_each_person_involved(self):
        self.assertEqual(
            self.walk_the_review(),
            [
                ["wangqiang@example.com"],
                ["reporter@example.com"],
                ["wangqiang@example.com"],
                ["chenhua@example.com", "liujun@example.com"],
                ["reporter@example.com"],
            ],
        )

    def test_wagtail_admin_starting_after_the_newsroom_adds_no_english_email(self):
        # wagtail.admin's ready() connects Wagtail's notifiers; with the admin listed after the newsroom it runs last.
        apps.get_app_config("wagtailadmin").ready()
        steps = self.walk_the_review()
        self.assertEqual(steps[0], ["wangqiang@example.com"])
        self.assertEqual(steps[3], ["chenhua@example.com", "liujun@example.com"])
        self.assertEqual(steps[4], ["reporter@example.com"])


class AppOrderTests(SimpleTestCase):
    def test_newsroom_listed_after_wagtail_admin_still_replaces_wagtails_notifiers(self):
        script = textwrap.dedent(
            """
            import json, os
            os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
            import django
            from django.conf import settings
            installed = [app for app in settings.INSTALLED_APPS if app != "newsroom"]
            installed.insert(installed.index("wagtail.admin") + 1, "newsroom")
            settings.INSTALLED_APPS = installed
            django.setup()
            from wagtail import signals
            print(json.dumps({
                name: sorted(str(key[0]) for key, *_ in getattr(signals, name).receivers)
                for name in ("task_submitted", "workflow_submitted", "workflow_rejected", "workflow_approved")
            }))
            """
        )
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        connected = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(
            connected,
            {
                "task_submitted": ["newsroom_group_review_requested_email", "newsroom_review_requested_email"],
                "workflow_submitted": ["qingshan-proofreading-submitted"],  # 审校 records, not an email
                "workflow_rejected": ["newsroom_changes_requested_email"],
                "workflow_approved": ["newsroom_approved_email"],
            },
        )


class AfterCommitTests(NewsroomTestCase):
    def test_submission_email_goes_out_only_when_the_submission_is_committed(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.as_user(self.reporter).post(self.create_url(self.kepu), article_form(editor=self.editor))
            self.assertEqual(response.status_code, 302)
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(recipients(), ["wangqiang@example.com"])

    def test_approval_email_goes_out_only_when_the_approval_is_committed(self):
        page = self.submitted()
        mail.outbox.clear()
        task_state = self.task_state(page)
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.as_user(self.editor).post(url, {"comment": ""})
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(recipients(), ["reporter@example.com"])

    def test_an_action_rolled_back_sends_nothing(self):
        page = self.submitted()
        mail.outbox.clear()
        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(RuntimeError),
            transaction.atomic(),
        ):
            self.task_state(page).approve(user=self.editor)
            raise RuntimeError("the request failed after the approval")
        self.assertEqual(mail.outbox, [])
        self.assertFalse(self.refreshed(page).live)


@override_settings(EMAIL_BACKEND="tests.newsroom.test_notifications.RefusingMailBackend")
class RefusedMessageTests(NewsroomTestCase):
    def test_a_refused_message_never_undoes_the_approval(self):
        page = self.submitted()
        with self.assertLogs("newsroom.notifications", level="ERROR") as logs:
            response = self.workflow_action(self.editor, page, "approve", comment="写得好。")
        self.assertEqual(response.status_code, 302)
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.assertEqual(page.current_workflow_state, None)
        self.assertTrue(any("reporter@example.com" in line for line in logs.output), logs.output)
