"""Two approvals of one review at the same moment publish once (needs PostgreSQL's row locks)."""

import unittest

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests.newsroom.helpers import newsroom_with_article, post_at_once


@pytest.mark.postgres
@unittest.skipUnless(connection.vendor == "postgresql", "row locking is PostgreSQL's; CI runs this on PostgreSQL 15")
class SimultaneousApprovalTests(TransactionTestCase):
    serialized_rollback = True

    def test_two_simultaneous_approvals_produce_one_publication(self):
        people, page = newsroom_with_article()
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))

        statuses = post_at_once((people.editor, url, {"comment": ""}), (people.editor, url, {"comment": ""}))

        self.assertEqual(statuses, [302, 302])
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assertEqual(PageLogEntry.objects.filter(page=page, action="wagtail.publish").count(), 1)
