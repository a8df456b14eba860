"""Admin login brute-force protection (django-axes), secure cookies, HSTS, CSP and framing in production."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import Client, SimpleTestCase, TestCase, override_settings

from tests import factories

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "x7#Qk2!vL9zP4mR8tW1nB6yC3hJ5dF0sG7aE2uK9oI4pZ8qX1cV6bN3mL5jH0gT"
LOGIN_URL = "/admin/login/"
SECURITY_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AUTHENTICATION_BACKENDS",
    "MIDDLEWARE",
)


def production_settings():
    """The security settings as config.settings.production computes them, read in a fresh process."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    with tempfile.TemporaryDirectory() as folder:
        env.update(
            DJANGO_SECRET_KEY=STRONG_SECRET,
            DJANGO_ALLOWED_HOSTS="news.example.cn",
            DATABASE_URL=f"sqlite:///{folder}/unused.sqlite3",
        )
        code = (
            "import json, config.settings.production as s; "
            f"print(json.dumps({{name: getattr(s, name, None) for name in {SECURITY_SETTINGS!r}}}))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
        )
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return json.loads(result.stdout)


PRODUCTION = None


def production():
    global PRODUCTION
    if PRODUCTION is None:
        PRODUCTION = production_settings()
    return PRODUCTION


class ProductionSecuritySettingsTests(SimpleTestCase):
    def test_cookies_are_secure_and_hsts_is_a_year_with_subdomains(self):
        settings = production()
        self.assertTrue(settings["SESSION_COOKIE_SECURE"])
        self.assertTrue(settings["CSRF_COOKIE_SECURE"])
        self.assertGreaterEqual(settings["SECURE_HSTS_SECONDS"], 31536000)
        self.assertTrue(settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"])
        self.assertTrue(settings["SECURE_SSL_REDIRECT"])
        self.assertTrue(settings["SECURE_CONTENT_TYPE_NOSNIFF"])
        self.assertEqual(settings["X_FRAME_OPTIONS"], "DENY")

    def test_brute_force_protection_and_csp_are_on(self):
        settings = production()
        self.assertTrue(settings["AXES_ENABLED"] in (None, True))  # unset means on
        self.assertEqual(settings["AXES_FAILURE_LIMIT"], 5)
        self.assertTrue(settings["AUTHENTICATION_BACKENDS"][0].startswith("axes.backends."))
        self.assertEqual(settings["MIDDLEWARE"][-1], "axes.middleware.AxesMiddleware")
        self.assertIn("config.csp.ScopedCSPMiddleware", settings["MIDDLEWARE"])
        directives = settings["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["object-src"], ["'none'"])
        self.assertEqual(directives["frame-ancestors"], ["'none'"])


class ProductionResponseHeaderTests(TestCase):
    """Requests answered under production's security settings carry the headers a browser enforces."""

    @classmethod
    def setUpTestData(cls):
        cls.kepu = factories.channel("科普", slug="kepu")
        cls.article = factories.article(cls.kepu, "头部检查", slug="headers")

    def production_client(self):
        names = [name for name in SECURITY_SETTINGS if not name.startswith(("AXES", "AUTH", "MIDDLEWARE"))]
        values = {name: production()[name] for name in names}
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
        override = override_settings(**values)
        override.enable()
        self.addCleanup(override.disable)
        return Client()

    def test_public_page_has_hsts_nosniff_frame_denial_and_strict_csp(self):
        response = self.production_client().get(self.article.url, secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["X-Frame-Options"], "DENY")
        csp = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertIn("object-src 'none'", csp)
        self.assertNotIn("unsafe-inline", csp.split("script-src", 1)[1].split(";")[0])

    def test_plain_http_is_redirected_to_https(self):
        response = self.production_client().get(self.article.url, HTTP_HOST="news.example.cn")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))

    def test_admin_gets_its_own_policy_that_still_forbids_foreign_framing(self):
        response = self.production_client().get(LOGIN_URL, secure=True)
        self.assertEqual(response.status_code, 200)
        csp = response["Content-Security-Policy"]
        self.assertIn("frame-ancestors 'self'", csp)
        self.assertIn("object-src 'none'", csp)
        self.assertIn("form-action 'self'", csp)
        self.assertIn("X-Frame-Options", response)

    def test_feeds_and_search_carry_the_public_policy(self):
        client = self.production_client()
        for url in ("/rss/", "/search/?q=头部", "/kepu/feed/"):
            with self.subTest(url):
                response = client.get(url, secure=True)
                self.assertIn("script-src 'self'", response["Content-Security-Policy"])

    def test_login_cookies_are_secure_and_session_cookie_is_http_only(self):
        factories.user("cookie-user", is_superuser=True)
        client = self.production_client()
        response = client.post(LOGIN_URL, {"username": "cookie-user", "password": "test-pass-123"}, secure=True)
        self.assertEqual(response.status_code, 302)
        session_cookie = response.cookies["sessionid"]
        self.assertTrue(session_cookie["secure"])
        self.assertTrue(session_cookie["httponly"])
        self.assertTrue(response.cookies["csrftoken"]["secure"])


@override_settings(AXES_ENABLED=True)
class AdminLoginBruteForceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = factories.user("chief", is_superuser=True)
        cls.colleague = factories.user("colleague", is_superuser=True)

    def login(self, client, username, password):
        client.get(LOGIN_URL)
        return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})

    def test_five_failures_lock_the_account_and_the_sixth_attempt_with_the_right_password_is_refused(self):
        client = Client()
        for attempt in range(4):
            response = self.login(client, "chief", f"wrong-{attempt}")
            self.assertEqual(response.status_code, 200, f"attempt {attempt + 1}")
            self.assertContains(response, 'name="password"')
        fifth = self.login(client, "chief", "wrong-4")
        self.assertContains(fifth, "登录失败次数过多", status_code=429)
        response = self.login(client, "chief", "test-pass-123")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertContains(response, "15 分钟后再试", status_code=429)
        self.assertNotIn("_auth_user_id", client.session)
        self.assertRedirects(client.get("/admin/"), "/admin/login/?next=/admin/", fetch_redirect_response=False)

    def test_lockout_is_per_account_so_a_colleague_still_logs_in(self):
        attacker = Client()
        for attempt in range(5):
            self.login(attacker, "chief", f"wrong-{attempt}")
        response = self.login(Client(), "colleague", "test-pass-123")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_normal_login_works_and_a_success_resets_the_count(self):
        client = Client()
        for attempt in range(4):
            self.login(client, "chief", f"wrong-{attempt}")
        response = self.login(client, "chief", "test-pass-123")
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(client.get("/admin/").status_code, 200)
        client.post("/admin/logout/")
        for attempt in range(4):
            self.login(client, "chief", f"again-wrong-{attempt}")
        self.assertRedirects(self.login(client, "chief", "test-pass-123"), "/admin/", fetch_redirect_response=False)
