"""The workflow's permission matrix over HTTP as a browser does it: password login, session cookie, CSRF token.

tests/newsroom/ checks the matrix with force_login; here every person logs in through /admin/login/ with
brute-force protection on, and every POST carries the CSRF token read from the page it was sent from.
"""

import re

from django.test import Client, override_settings
from django.urls import reverse

from articles.models import ArticlePage
from tests.newsroom.helpers import NewsroomTestCase, article_form

PASSWORD = "test-pass-123"  # tests.factories.user
# A form's hidden field, or the token the admin's scripts send, from its wagtail-config block.
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"CSRF_TOKEN": "([^"]+)"')


@override_settings(AXES_ENABLED=True)
class HttpPermissionMatrixTests(NewsroomTestCase):
    def browser(self, person):
        """A client with CSRF checks, logged in with the person's password through the admin login form."""
        client = Client(enforce_csrf_checks=True)
        token = self.token(client, "/admin/login/")
        response = client.post(
            "/admin/login/",
            {"username": person.username, "password": PASSWORD, "next": "/admin/", "csrfmiddlewaretoken": token},
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        return client

    def token(self, client, url):
        response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        match = TOKEN.search(response.content.decode())
        self.assertIsNotNone(match, f"no CSRF token on {url}")
        return match.group(1) or match.group(2)

    def post(self, client, url, data, form_url=None):
        data = {**data, "csrfmiddlewaretoken": self.token(client, form_url or url)}
        with self.captureOnCommitCallbacks(execute=True):
            return client.post(url, data)

    def write(self, client, action="action-submit", title="经由浏览器提交的稿件", **fields):
        before = set(ArticlePage.objects.values_list("pk", flat=True))
        url = self.create_url(self.kepu)
        response = self.post(client, url, article_form(title=title, editor=self.editor, action=action, **fields))
        return response, ArticlePage.objects.exclude(pk__in=before).first()

    def review(self, client, page, action):
        page = self.refreshed(page)
        state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk))
        return self.post(client, url, {"comment": ""}, form_url="/admin/")

    def test_post_without_csrf_token_is_refused(self):
        client = self.browser(self.reporter)
        response = client.post(self.create_url(self.kepu), article_form(editor=self.editor))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ArticlePage.objects.filter(title="黄河流域生态保护新进展").exists())
        response = client.post("/admin/login/", {"username": "reporter", "password": PASSWORD})
        self.assertEqual(response.status_code, 403)

    def test_reporter_submits_wrong_editor_is_refused_right_editor_approves_and_publishes(self):
        response, page = self.write(self.browser(self.reporter))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(page.current_workflow_task_state.status, "in_progress")
        self.assertFalse(page.live)

        for person in (self.other_editor, self.chief, self.reporter):
            with self.subTest(person.username):
                response = self.review(self.browser(person), page, "approve")
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
                self.assertFalse(self.refreshed(page).live)

        response = self.review(self.browser(self.editor), page, "approve")
        self.assertEqual(response.status_code, 302)
        page = self.refreshed(page)
        self.assertTrue(page.live)
        self.assertEqual(page.responsible_editor, self.editor)
        self.assertEqual(Client().get(page.url).status_code, 200)

    def test_reporter_cannot_publish_directly(self):
        response, page = self.write(self.browser(self.reporter), action="action-publish", title="记者直接发布")
        self.assertFalse(page is not None and self.refreshed(page).live)

    def reviewed_and_live(self, title):
        """An article the reporter wrote and its responsible editor approved: live."""
        _, page = self.write(self.browser(self.reporter), title=title)
        self.review(self.browser(self.editor), page, "approve")
        page = self.refreshed(page)
        self.assertTrue(page.live)
        return page

    def test_only_chief_withdraws(self):
        page = self.reviewed_and_live("审核后发布的稿件")
        url = reverse("wagtailadmin_pages:unpublish", args=(page.pk,))
        reason = {"reason": "稿件有误"}
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                client = self.browser(person)
                response = self.post(client, url, reason, form_url="/admin/")
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
                self.assertTrue(self.refreshed(page).live)
        response = self.post(self.browser(self.chief), url, reason)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.refreshed(page).live)
        self.assertEqual(Client().get(f"/kepu/{page.slug}/").status_code, 410)

    def test_only_chief_deletes_a_published_article(self):
        page = self.reviewed_and_live("将被删除的稿件")
        url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
        for person in (self.reporter, self.editor):
            with self.subTest(person.username):
                response = self.post(self.browser(person), url, {}, form_url="/admin/")
                self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
                self.assertTrue(ArticlePage.objects.filter(pk=page.pk).exists())
        response = self.post(self.browser(self.chief), url, {})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ArticlePage.objects.filter(pk=page.pk).exists())

    def test_reporter_deletes_own_draft_but_not_a_colleagues(self):
        _, own = self.write(self.browser(self.reporter), action=None, title="自己的草稿")
        _, others = self.write(self.browser(self.other_reporter), action=None, title="同事的草稿")
        client = self.browser(self.reporter)
        response = self.post(client, reverse("wagtailadmin_pages:delete", args=(others.pk,)), {}, form_url="/admin/")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertTrue(ArticlePage.objects.filter(pk=others.pk).exists())
        response = self.post(client, reverse("wagtailadmin_pages:delete", args=(own.pk,)), {})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ArticlePage.objects.filter(pk=own.pk).exists())

    def test_logout_ends_the_session(self):
        client = self.browser(self.editor)
        self.assertEqual(client.get("/admin/").status_code, 200)
        self.post(client, "/admin/logout/", {}, form_url="/admin/")
        self.assertRedirects(client.get("/admin/"), "/admin/login/?next=/admin/", fetch_redirect_response=False)
