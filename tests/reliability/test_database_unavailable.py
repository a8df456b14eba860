"""A lost database answers 503 with Retry-After; an ordinary SQL error stays a server error."""

from unittest import mock

from django.db import OperationalError, connection
from django.test import RequestFactory, SimpleTestCase

from config.middleware import DatabaseUnavailableMiddleware


class DatabaseUnavailableTests(SimpleTestCase):
    databases = {"default"}

    def setUp(self):
        self.middleware = DatabaseUnavailableMiddleware(lambda request: None)
        self.request = RequestFactory().get("/")

    def test_unreachable_database_gives_503_page_with_retry_after(self):
        with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
            response = self.middleware.process_exception(
                self.request, OperationalError("server closed the connection")
            )
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "10")
        self.assertIn("服务暂时不可用", response.content.decode())

    def test_error_with_a_working_database_is_left_to_the_500_handler(self):
        self.assertIsNone(self.middleware.process_exception(self.request, OperationalError("no such column: x")))

    def test_other_exceptions_are_not_touched(self):
        self.assertIsNone(self.middleware.process_exception(self.request, ValueError("bad")))
