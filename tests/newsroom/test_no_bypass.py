"""No route to readers skips the review workflow of the channel an article is in.

One test per route: move, copy, delete, the editor's 发布, revert, bulk actions, scheduled publication,
import, a channel whose workflow changes, and publication by code. Each asserts what a reader or an
editor would notice: the article is not on the site, the review goes on, a Chinese message says why.
"""

import json
import tempfile
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowState

from articles.models import ArticlePage, ChannelIndexPage
from newsroom.setup import TWO_STAGE_WORKFLOW
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, form_errors


class NoBypassTestCase(NewsroomTestCase):
    def post(self, person, url, data=None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(url, data or {})

    def move(self, person, page, channel):
        return self.post(person, reverse("wagtailadmin_pages:move_confirm", args=(page.pk, channel.pk)))

    def messages_of(self, response):
        return " ".join(str(message) for message in get_messages(response.wsgi_request))

    def current_task(self, page):
        state = self.refreshed(page).current_workflow_state
        return state.current_task_state.task.name if state and state.current_task_state else None

    def approved_in_kepu(self, **form):
        """An article the responsible editor approved in 科普's one-stage review: live there."""
        page = self.submitted(**form)
        self.assertEqual(self.workflow_action(self.editor, page, "approve").status_code, 302)
        return self.refreshed(page)

    def assertOffSite(self, page, title=None):
        page = self.refreshed(page)
        self.assertFalse(page.live, "the article reached readers")
        self.client.logout()
        self.assertEqual(self.client.get("/yaowen/").status_code, 200)
        self.assertNotContains(self.client.get("/yaowen/"), title or page.title)
        self.assertNotContains(self.client.get("/kepu/"), title or page.title)


class MoveTests(NoBypassTestCase):
    def test_moving_a_piece_under_review_into_yaowen_needs_the_chief_editors_final_review(self):
        page = self.submitted(title="汾河湿地新添候鸟")
        response = self.move(self.chief, page, self.yaowen)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.refreshed(page).get_parent().pk, self.yaowen.pk)
        self.assertIn("要闻两级审核流程", self.messages_of(response))

        self.workflow_action(self.editor, page, "approve")
        self.assertOffSite(page)
        self.assertEqual(self.current_task(page), "总编辑终审")

        self.workflow_action(self.chief, page, "approve")
        self.assertTrue(self.refreshed(page).live)

    def test_the_reporter_and_the_responsible_editor_are_told_why_the_review_restarted(self):
        page = self.submitted(title="汾河湿地新添候鸟")
        mail.outbox.clear()
        self.move(self.chief, page, self.yaowen)
        told = {message.to[0] for message in mail.outbox if "重新审核" in message.subject}
        self.assertEqual(told, {self.reporter.email, self.editor.email})
        body = next(message.body for message in mail.outbox if message.to == [self.reporter.email])
        self.assertIn("移至“要闻”", body)
        self.assertEqual(self.refreshed(page).current_workflow_state.requested_by, self.reporter)

    def test_reporter_cannot_move_a_piece_under_review(self):
        page = self.submitted()
        response = self.move(self.reporter, page, self.yaowen)
        self.assertEqual(self.refreshed(page).get_parent().pk, self.kepu.pk)
        self.assertIn("正在审核中,只有总编辑可以移动", self.messages_of(response))

    def test_a_live_article_cannot_be_moved_into_a_channel_whose_review_it_did_not_pass(self):
        page = self.approved_in_kepu(title="科普：臭氧从哪里来")
        response = self.move(self.chief, page, self.yaowen)
        page = self.refreshed(page)
        self.assertEqual(page.get_parent().pk, self.kepu.pk)
        self.assertIn("请先撤稿", self.messages_of(response))


class CopyAndDeleteTests(NoBypassTestCase):
    def copy(self, person, page, **fields):
        data = {"new_title": "副本:" + page.title, "new_slug": page.slug + "-copy"}
        data.update(new_parent_page=page.get_parent().pk, **fields)
        return self.post(person, reverse("wagtailadmin_pages:copy", args=(page.pk,)), data)

    def test_reporter_cannot_copy_a_piece_under_review(self):
        page = self.submitted()
        response = self.copy(self.reporter, page)
        self.assertFalse(ArticlePage.objects.filter(slug=page.slug + "-copy").exists())
        self.assertIn("正在审核中,只有总编辑可以复制", self.messages_of(response))

    def test_reporter_cannot_delete_a_piece_under_review(self):
        page = self.submitted()
        response = self.post(self.reporter, reverse("wagtailadmin_pages:delete", args=(page.pk,)))
        self.assertTrue(ArticlePage.objects.filter(pk=page.pk).exists())
        self.assertIn("正在审核中,只有总编辑可以删除", self.messages_of(response))

    def test_reporter_is_not_offered_move_copy_or_delete_for_a_piece_under_review(self):
        page = self.submitted()
        html = self.as_user(self.reporter).get(reverse("wagtailadmin_explore", args=(self.kepu.pk,))).content.decode()
        self.assertIn(page.title, html)
        for name in ("move", "copy", "delete"):
            self.assertFalse(reverse(f"wagtailadmin_pages:{name}", args=(page.pk,)) in html, f"{name} is offered")

    def test_a_copy_with_publish_copies_does_not_reach_readers(self):
        page = self.approved_in_kepu()
        response = self.copy(self.chief, page, publish_copies="on")
        self.assertFalse(ArticlePage.objects.filter(slug=page.slug + "-copy", live=True).exists())
        self.assertIn("副本须经所在栏目的审核流程", self.messages_of(response))


class ChannelStructureTests(NoBypassTestCase):
    def test_only_chief_editors_move_or_delete_a_channel_even_a_reporters_own_draft_one(self):
        draft = ChannelIndexPage(title="记者建的栏目", slug="reporters-channel", owner=self.reporter, live=False)
        self.kepu.get_parent().add_child(instance=draft)
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                self.assertFalse(draft.permissions_for_user(person).can_move())
                self.post(person, reverse("wagtailadmin_pages:delete", args=(draft.pk,)))
                self.assertTrue(Page.objects.filter(pk=draft.pk).exists(), "the channel was deleted")
        self.assertTrue(draft.permissions_for_user(self.chief).can_move())


class EditorPublishTests(NoBypassTestCase):
    def test_chief_editors_publish_from_the_editor_does_not_put_an_unreviewed_article_online(self):
        response, page = self.create(self.reporter, self.kepu, action="action-save-draft", editor=self.editor)
        self.assertEqual(response.status_code, 302, form_errors(response))
        response = self.edit(self.chief, page, action="action-publish", editor=self.editor)
        self.assertOffSite(page)
        self.assertIn("请提交审核", self.messages_of(response))

    def test_chief_editor_is_not_offered_publish_in_the_article_editor(self):
        response, page = self.create(self.reporter, self.kepu, action="action-save-draft", editor=self.editor)
        html = self.as_user(self.chief).get(self.edit_url(page)).content.decode()
        self.assertTrue('name="action-submit"' in html, "submit for review is not offered")
        self.assertFalse('name="action-publish"' in html, "publish is offered")

    def test_reverting_to_an_earlier_revision_and_publishing_keeps_the_reviewed_version_online(self):
        page = self.approved_in_kepu(title="黄河流域生态保护新进展")
        earlier = page.revisions.order_by("pk").first()
        revert = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, earlier.pk))
        self.assertEqual(self.as_user(self.chief).get(revert).status_code, 200)
        self.edit(self.chief, page, action="action-publish", title="未经审核的旧版本", editor=self.editor)
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.assertEqual(page.live_revision.as_object().title, "黄河流域生态保护新进展")

    def test_publishing_an_unreviewed_revision_from_code_is_refused(self):
        response, page = self.create(self.reporter, self.kepu, action="action-save-draft", editor=self.editor)
        with self.assertRaisesMessage(Exception, "审核通过后才能发布"):
            page.get_latest_revision().publish(user=self.chief)
        self.assertOffSite(page)


class BulkActionTests(NoBypassTestCase):
    def bulk(self, person, action, page, **data):
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        next_url = reverse("wagtailadmin_explore", args=(self.kepu.pk,))
        return self.post(person, f"{url}?id={page.pk}&next={next_url}", data)

    def test_bulk_publish_does_not_put_an_unreviewed_article_online(self):
        response, page = self.create(self.reporter, self.kepu, action="action-save-draft", editor=self.editor)
        response = self.bulk(self.chief, "publish", page)
        self.assertOffSite(page)
        self.assertIn("审核通过后才能发布", self.messages_of(response))

    def test_reporter_cannot_bulk_delete_a_piece_under_review(self):
        page = self.submitted()
        self.bulk(self.reporter, "delete", page)
        self.assertTrue(ArticlePage.objects.filter(pk=page.pk).exists())

    def test_bulk_move_into_yaowen_restarts_the_review_under_its_workflow(self):
        page = self.submitted()
        self.bulk(self.chief, "move", page, chooser=self.yaowen.pk)
        self.assertEqual(self.refreshed(page).get_parent().pk, self.yaowen.pk)
        self.workflow_action(self.editor, page, "approve")
        self.assertOffSite(page)
        self.assertEqual(self.current_task(page), "总编辑终审")


class ScheduleAndWorkflowChangeTests(NoBypassTestCase):
    def test_an_article_scheduled_in_kepu_and_moved_into_yaowen_waits_for_yaowens_review(self):
        go_live = timezone.localtime() + timedelta(hours=2)
        page = self.approved_in_kepu(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
        self.assertFalse(page.live)
        self.move(self.chief, page, self.yaowen)
        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=3)):
            call_command("publish_scheduled", stdout=StringIO(), stderr=StringIO())
        self.assertOffSite(page)
        self.assertEqual(self.current_task(page), "责任编辑审核")

    def test_when_a_channels_workflow_changes_during_review_the_old_workflow_cannot_publish(self):
        page = self.submitted()
        two_stage = Workflow.objects.get(name=TWO_STAGE_WORKFLOW)
        WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=self.kepu.pk), defaults={"workflow": two_stage})
        self.workflow_action(self.editor, page, "approve")
        self.assertOffSite(page)
        state = self.refreshed(page).current_workflow_state
        self.assertEqual(state.workflow.name, TWO_STAGE_WORKFLOW)
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)


class ImportTests(NoBypassTestCase):
    def run_import(self, **row):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as handle:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.addCleanup(Path(handle.name).unlink)
        err = StringIO()
        call_command("import_articles", handle.name, "--no-progress", stdout=StringIO(), stderr=err)
        return err.getvalue()

    def test_archive_import_does_not_publish_over_a_piece_under_review(self):
        page = self.submitted(title="本系统正在审核的稿件")
        ArticlePage.objects.filter(pk=page.pk).update(legacy_id="old-77")
        err = self.run_import(id="old-77", channel="kepu", title="旧系统的版本", date="2019-06-05")
        self.assertIn("正在本系统审核中", err)
        page = self.refreshed(page)
        self.assertOffSite(page, title="旧系统的版本")
        self.assertEqual(page.current_workflow_state.status, WorkflowState.STATUS_IN_PROGRESS)


class TrustedCodeTests(NoBypassTestCase):
    def test_test_data_publishes_only_through_the_explicit_helper(self):
        draft = factories.article(self.kepu, publish=False)
        revision = draft.save_revision()
        with self.assertRaisesMessage(Exception, "审核通过后才能发布"):
            revision.publish()
        self.assertTrue(factories.publish_unreviewed(self.refreshed(draft)).live)
