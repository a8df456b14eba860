"""A login-restricted channel does not show even its name in the public navigation."""

from bs4 import BeautifulSoup
from django.test import TestCase
from wagtail.models import PageViewRestriction

from tests import factories


class PrivateChannelMenuTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.channel("要闻", slug="yaowen")
        internal = factories.channel("内部通报", slug="neibu")
        PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)

    def test_navigation_lists_public_channels_only(self):
        nav = BeautifulSoup(self.client.get("/").content, "html.parser").find("nav", class_="channel-nav")
        names = [link.get_text(strip=True) for link in nav.find_all("a")]
        self.assertIn("要闻", names)
        self.assertNotIn("内部通报", names)
