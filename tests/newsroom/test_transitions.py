"""Two-stage review, reassignment and scheduled publication."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.newsroom.helpers import NewsroomTestCase


class TwoStageReviewTests(NewsroomTestCase):
    def test_yaowen_needs_the_responsible_editor_then_a_chief_editor(self):
        page = self.submitted(channel=self.yaowen)
        self.workflow_action(self.editor, page, "approve")
        page = self.refreshed(page)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task.name, "总编辑终审")
        self.workflow_action(self.chief, page, "approve")
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.client.logout()
        self.assertContains(self.client.get(page.url), "责任编辑:王强")

    def test_nobody_approves_both_stages(self):
        page = self.submitted(channel=self.yaowen, editor=self.editor_and_chief)
        self.workflow_action(self.editor_and_chief, page, "approve")
        response = self.workflow_action(self.editor_and_chief, page, "approve")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        page = self.refreshed(page)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_task.name, "总编辑终审")
        self.workflow_action(self.chief, page, "approve")
        self.assertTrue(self.refreshed(page).live)
        self.assertContains(self.client.get(self.refreshed(page).url), "责任编辑:刘军")

    def test_chief_editor_sends_back_at_the_second_stage(self):
        page = self.submitted(channel=self.yaowen)
        self.workflow_action(self.editor, page, "approve")
        self.workflow_action(self.chief, page, "reject", comment="请补充数据来源。")
        page = self.refreshed(page)
        self.assertFalse(page.live)
        self.assertEqual(page.current_workflow_state.status, "needs_changes")


class ReassignmentTests(NewsroomTestCase):
    def reassign_url(self, page):
        return reverse("newsroom_reassign_review", args=(self.task_state(page).pk,))

    def test_chief_editor_reassigns_and_only_the_new_reviewer_may_approve(self):
        page = self.submitted()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.as_user(self.chief).post(self.reassign_url(page), {"reviewer": self.other_editor.pk})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.task_state(page).reviewer, self.other_editor)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["wangqiang@example.com", "zhaoli@example.com"])

        self.workflow_action(self.editor, page, "approve")
        self.assertFalse(self.refreshed(page).live)
        self.workflow_action(self.other_editor, page, "approve")
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.assertContains(self.client.get(page.url), "责任编辑:赵丽")

    def test_reporter_and_editor_cannot_reassign(self):
        page = self.submitted()
        for person in (self.reporter, self.editor):
            with self.subTest(person=person.username):
                response = self.as_user(person).post(self.reassign_url(page), {"reviewer": self.other_editor.pk})
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
                self.assertEqual(self.task_state(page).reviewer, self.editor)

    def test_submitter_is_not_offered_as_new_reviewer(self):
        _, page = self.create(self.other_editor, editor=self.editor)
        response = self.as_user(self.chief).post(self.reassign_url(page), {"reviewer": self.other_editor.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.task_state(page).reviewer, self.editor)


class ScheduledPublicationTests(NewsroomTestCase):
    def test_approved_article_with_future_go_live_waits_for_publish_scheduled(self):
        go_live = timezone.localtime() + timedelta(hours=2)
        page = self.submitted(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
        self.workflow_action(self.editor, page, "approve")
        page = self.refreshed(page)
        self.assertFalse(page.live)
        revision = page.get_latest_revision()
        self.assertIsNotNone(revision.approved_go_live_at)

        # Two hours pass.
        past = timezone.now() - timedelta(minutes=1)
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
        call_command("publish_scheduled", verbosity=0)
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.client.logout()
        self.assertContains(self.client.get(page.url), "责任编辑:王强")
