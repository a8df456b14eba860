"""The portal's name comes from 站点设置 (网站名称) on every page and message, never from the code."""

from unittest import mock

from django.core import mail
from django.db import OperationalError, connection
from django.test import RequestFactory, TestCase, override_settings
from wagtail.models import Site

from config.middleware import DatabaseUnavailableMiddleware
from home.models import SiteSettings
from home.views import server_error
from tests.newsroom.helpers import NewsroomTestCase

NEW_NAME = "绿色山西"


def rename_site():
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.site_name = NEW_NAME
    site_settings.save()


class SiteNameTests(NewsroomTestCase):
    def setUp(self):
        rename_site()

    def test_the_not_found_page_carries_the_site_name(self):
        response = self.client.get("/no-such-page/")

        self.assertContains(response, f"<title>页面不存在 - {NEW_NAME}</title>", status_code=404, html=False)

    @override_settings(DEBUG=False)
    def test_the_server_error_page_carries_the_site_name(self):
        response = server_error(RequestFactory().get("/"))

        self.assertEqual(response.status_code, 500)
        self.assertIn(f"- {NEW_NAME}</title>", response.content.decode())

    def test_the_database_unavailable_page_carries_the_last_site_name_read(self):
        self.client.get("/no-such-page/")  # reads the settings, as any page does
        middleware = DatabaseUnavailableMiddleware(lambda request: None)
        lost = OperationalError("server closed the connection unexpectedly")
        # As tests/reliability/test_database_unavailable.py: the server is gone (the test's own connection stays).
        with (
            mock.patch.object(connection, "close"),
            mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")),
        ):
            response = middleware.process_exception(RequestFactory().get("/"), lost)

        self.assertIsNotNone(response)
        self.assertEqual(response.status_code, 503)
        self.assertIn(NEW_NAME, response.content.decode())

    def test_the_admin_login_and_title_carry_the_site_name(self):
        self.assertContains(self.client.get("/admin/login/"), f"登录{NEW_NAME}采编系统")
        self.assertContains(self.as_user(self.reporter).get("/admin/"), f"{NEW_NAME}采编系统")

    def test_review_emails_are_signed_with_the_site_name(self):
        self.submitted()

        self.assertIn(f"—— {NEW_NAME} 采编系统", mail.outbox[0].body)


class UnchangedSettingsTests(TestCase):
    def test_a_new_site_reads_the_default_name(self):
        self.assertEqual(SiteSettings().site_name, "生态山西")
