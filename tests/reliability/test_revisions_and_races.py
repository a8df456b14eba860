"""No revision is lost: the review history stays complete, and an overtaken save is kept and explained."""

import unittest

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from articles.models import ArticlePage
from tests.newsroom.helpers import NewsroomTestCase, article_form, newsroom_with_article, post_at_once


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


class RevisionHistoryTests(NewsroomTestCase):
    def test_every_revision_of_the_review_path_stays_comparable_and_restorable(self):
        page = self.submitted(title="初稿标题")
        self.workflow_action(self.editor, page, "reject", comment="标题不准确。")
        self.edit(self.reporter, page, title="修改后的标题", editor=self.editor)
        self.workflow_action(self.editor, page, "approve")
        page = self.refreshed(page)
        self.assertTrue(page.live)

        revisions = list(page.revisions.order_by("created_at", "pk"))
        titles = [revision.as_object().title for revision in revisions]
        self.assertEqual(titles[0], "初稿标题")
        self.assertEqual(titles[-1], "修改后的标题")

        client = self.as_user(self.chief)
        history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
        self.assertEqual(history.status_code, 200)
        for older, newer in zip(revisions, revisions[1:], strict=False):
            compare = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, older.pk, newer.pk))
            self.assertEqual(client.get(compare).status_code, 200)
        first_to_last = reverse(
            "wagtailadmin_pages:revisions_compare", args=(page.pk, revisions[0].pk, revisions[-1].pk)
        )
        self.assertContains(client.get(first_to_last), "初稿标题")

        revert = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, revisions[0].pk))
        self.assertContains(client.get(revert), "初稿标题")
        restored = self.edit(self.chief, page, action=None, title="初稿标题", editor=self.editor)
        self.assertEqual(restored.status_code, 302)
        self.assertEqual(self.refreshed(page).get_latest_revision().as_object().title, "初稿标题")
        self.assertEqual(page.revisions.count(), len(revisions) + 1)


class OvertakenSaveTests(NewsroomTestCase):
    def test_stale_save_keeps_both_versions_and_tells_the_later_saver(self):
        _, page = self.create(self.reporter, action=None, title="原标题", editor=self.editor)
        loaded = str(self.refreshed(page).get_latest_revision().pk)

        self.edit(self.chief, page, action=None, title="总编辑改的标题", editor=self.editor, loaded_revision_id=loaded)
        response = self.as_user(self.reporter).post(
            self.edit_url(page),
            article_form(
                action=None, title="记者改的标题", editor=self.editor, slug=page.slug, loaded_revision_id=loaded
            ),
            follow=True,
        )
        self.assertTrue(any("陈华" in text and "修订历史" in text for text in messages_of(response)))
        titles = [revision.as_object().title for revision in page.revisions.order_by("created_at", "pk")]
        self.assertEqual(titles[-2:], ["总编辑改的标题", "记者改的标题"])

    def test_reporter_edit_during_review_is_refused_and_the_reviewed_text_is_published(self):
        page = self.submitted(title="送审的标题")
        before = page.revisions.count()
        response = self.as_user(self.reporter).post(
            self.edit_url(page),
            article_form(action=None, title="审核中偷改", editor=self.editor, slug=page.slug),
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(page.revisions.count(), before)
        self.workflow_action(self.editor, page, "approve")
        self.assertEqual(self.refreshed(page).title, "送审的标题")

    def test_stale_edit_after_approval_stays_a_draft_and_the_live_page_keeps_the_approved_text(self):
        page = self.submitted(title="送审的标题")
        loaded = str(self.refreshed(page).get_latest_revision().pk)
        self.workflow_action(self.editor, page, "approve")
        response = self.as_user(self.reporter).post(
            self.edit_url(page),
            article_form(
                action=None, title="过时的修改", editor=self.editor, slug=page.slug, loaded_revision_id=loaded
            ),
            follow=True,
        )
        self.assertEqual(response.status_code, 200)
        page = self.refreshed(page)
        self.assertEqual(page.title, "送审的标题")
        self.assertTrue(page.has_unpublished_changes)
        self.client.logout()
        self.assertContains(self.client.get(page.url), "送审的标题")


@pytest.mark.postgres
@unittest.skipUnless(
    connection.vendor == "postgresql", "concurrent writers need PostgreSQL; CI runs this on PostgreSQL 15"
)
class SimultaneousSavesTests(TransactionTestCase):
    serialized_rollback = True

    def test_two_people_saving_one_page_at_once_lose_no_revision(self):
        people, page = newsroom_with_article(action=None)
        before = page.revisions.count()
        loaded = str(page.get_latest_revision().pk)
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))

        def save(title):
            return article_form(action=None, title=title, slug=page.slug, loaded_revision_id=loaded)

        statuses = post_at_once((people.reporter, url, save("记者的版本")), (people.chief, url, save("总编辑的版本")))

        self.assertEqual(statuses, [302, 302])
        titles = {revision.as_object().title for revision in page.revisions.all()}
        self.assertEqual(page.revisions.count(), before + 2)
        self.assertTrue({"记者的版本", "总编辑的版本"} <= titles)
        latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision().as_object().title
        self.assertIn(latest, {"记者的版本", "总编辑的版本"})
