"""Two approvals of one review at the same moment publish once (needs PostgreSQL's row locks)."""

import threading
import unittest

from django.db import connection, connections
from django.test import Client, TransactionTestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from articles.models import ArticlePage
from articles.newsroom import EDITORS, REPORTERS, setup_newsroom
from tests import factories
from tests.workflow.newsroom import article_form, member


@unittest.skipUnless(connection.vendor == "postgresql", "row locking is PostgreSQL's; CI runs this on PostgreSQL 15")
class SimultaneousApprovalTests(TransactionTestCase):
    serialized_rollback = True

    def test_two_simultaneous_approvals_produce_one_publication(self):
        home = factories.home_page()
        channel = factories.channel("科普", slug="kepu")
        setup_newsroom(home)
        reporter = member("reporter", "李明", REPORTERS)
        editor = member("wangqiang", "王强", EDITORS)

        client = Client()
        client.force_login(reporter)
        url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", channel.pk))
        response = client.post(url, article_form(editor=editor))
        self.assertEqual(response.status_code, 302)
        page = ArticlePage.objects.child_of(channel).get()
        task_state = page.current_workflow_task_state
        action_url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))

        barrier = threading.Barrier(2)
        statuses = []

        def approve():
            approver = Client()
            approver.force_login(editor)
            barrier.wait()
            try:
                statuses.append(approver.post(action_url, {"comment": ""}).status_code)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=approve) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(sorted(statuses), [302, 302])
        page.refresh_from_db()
        self.assertTrue(page.live)
        self.assertEqual(PageLogEntry.objects.filter(page=page, action="wagtail.publish").count(), 1)
