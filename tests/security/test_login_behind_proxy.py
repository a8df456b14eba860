"""The login lockout behind a reverse proxy: it locks a user name from one client address, never for everyone.

Every request reaches the site from the proxy's address (10.0.0.2 here); the proxy appends the client's
address to X-Forwarded-For. The header is believed only when DJANGO_TRUSTED_PROXIES says a proxy is in front.
"""

from axes.models import AccessAttempt
from django.test import Client, TestCase, override_settings

from config.client_address import parse_trusted_proxies
from tests import factories

LOGIN_URL = "/admin/login/"
PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
NEWSROOM = "198.51.100.7"
PASSWORD = "test-pass-123"


class LoginMixin:
    @classmethod
    def setUpTestData(cls):
        cls.wangqiang = factories.user("wangqiang", first_name="王强", is_superuser=True)
        cls.zhaoli = factories.user("zhaoli", first_name="赵丽", is_superuser=True)

    def login(self, username, password, forwarded_for, remote=PROXY):
        client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
        client.get(LOGIN_URL)
        return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})

    def five_wrong_passwords_for_wangqiang(self, forwarded_for):
        for attempt in range(5):
            self.login("wangqiang", f"wrong-{attempt}", forwarded_for(attempt))


@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=None)
class WithoutTrustedProxyTests(LoginMixin, TestCase):
    def test_forged_forwarded_for_does_not_change_the_address_or_escape_the_lockout(self):
        self.five_wrong_passwords_for_wangqiang(lambda attempt: f"192.0.2.{attempt + 1}")

        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {PROXY})
        response = self.login("wangqiang", PASSWORD, "192.0.2.99")
        self.assertContains(response, "登录失败次数过多", status_code=429)


class TrustedProxyLockoutTests(LoginMixin):
    """Five wrong passwords for 王强 from the attacker lock that address and name only."""

    def test_the_attacker_is_locked_out_even_with_the_right_password(self):
        self.five_wrong_passwords_for_wangqiang(lambda attempt: ATTACKER)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {ATTACKER})
        response = self.login("wangqiang", PASSWORD, ATTACKER)
        self.assertContains(response, "登录失败次数过多", status_code=429)

    def test_wangqiang_still_logs_in_from_the_newsroom_behind_the_same_proxy(self):
        self.five_wrong_passwords_for_wangqiang(lambda attempt: ATTACKER)
        response = self.login("wangqiang", PASSWORD, NEWSROOM)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_another_editor_still_logs_in_from_the_attackers_address(self):
        self.five_wrong_passwords_for_wangqiang(lambda attempt: ATTACKER)
        response = self.login("zhaoli", PASSWORD, ATTACKER)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_an_address_the_attacker_writes_into_the_header_is_not_believed(self):
        # The attacker claims to be the newsroom; the proxy appends the real address, which is what counts.
        self.five_wrong_passwords_for_wangqiang(lambda attempt: f"{NEWSROOM}, {ATTACKER}")
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {ATTACKER})
        response = self.login("wangqiang", PASSWORD, NEWSROOM)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)


@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=parse_trusted_proxies("1"))
class OneTrustedProxyTests(TrustedProxyLockoutTests, TestCase):
    """DJANGO_TRUSTED_PROXIES=1: one proxy in front."""


@override_settings(AXES_ENABLED=True, TRUSTED_PROXIES=parse_trusted_proxies("10.0.0.0/8, 127.0.0.1"))
class TrustedProxyAddressesTests(TrustedProxyLockoutTests, TestCase):
    """DJANGO_TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1: the proxies' addresses."""

    def test_a_direct_request_is_judged_by_its_own_address_whatever_its_header_says(self):
        # Sent straight to the site, not through the proxy: the header is the attacker's own claim.
        for attempt in range(5):
            self.login("wangqiang", f"wrong-{attempt}", NEWSROOM, remote=ATTACKER)
        self.assertEqual(set(AccessAttempt.objects.values_list("ip_address", flat=True)), {ATTACKER})
        self.assertRedirects(self.login("wangqiang", PASSWORD, NEWSROOM), "/admin/", fetch_redirect_response=False)
