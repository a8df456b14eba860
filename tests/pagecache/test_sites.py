"""The per-process sites: the site each host gets and the root paths are Wagtail's, read in one query, and a
change of the home page reaches readers at once."""

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from home.models import HomePage
from pagecache.sites import match_site, read_sites
from tests import factories
from tests.pagecache.helpers import fresh_caches, page_cache_on


class SiteMatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.other_root = cls.home.add_child(instance=Page(title="英文站", slug="english"))
        cls.default = Site.objects.get(is_default_site=True)

    def assert_same_as_wagtail(self, requests):
        sites, _ = read_sites()
        for hostname, port in requests:
            with self.subTest(hostname=hostname, port=port):
                try:
                    expected = get_site_for_hostname(hostname, port).pk
                except Site.DoesNotExist:
                    expected = None
                found = match_site(sites, hostname, port)
                self.assertEqual(found.pk if found else None, expected)

    REQUESTS = [
        ("localhost", "80"),
        ("localhost", "8000"),
        ("news.example.cn", "80"),
        ("news.example.cn", "443"),
        ("en.example.cn", "80"),
        ("en.example.cn", "8080"),
        ("unknown.example.cn", "80"),
    ]

    def test_a_single_default_site_answers_every_host(self):
        self.assert_same_as_wagtail(self.REQUESTS)

    def test_host_and_port_choose_among_several_sites_as_wagtail_does(self):
        self.default.hostname, self.default.port = "news.example.cn", 80
        self.default.save()
        Site.objects.create(hostname="news.example.cn", port=443, root_page=self.other_root)
        Site.objects.create(hostname="en.example.cn", port=80, root_page=self.other_root)
        self.assert_same_as_wagtail(self.REQUESTS)

    def test_two_sites_of_one_host_without_a_port_match_fall_back_to_the_default(self):
        Site.objects.create(hostname="en.example.cn", port=80, root_page=self.other_root)
        Site.objects.create(hostname="en.example.cn", port=8080, root_page=self.other_root)
        self.assert_same_as_wagtail(self.REQUESTS)

    def test_without_a_default_site_an_unknown_host_has_no_site(self):
        Site.objects.update(is_default_site=False)
        Site.objects.create(hostname="en.example.cn", port=80, root_page=self.other_root)
        self.assert_same_as_wagtail(self.REQUESTS)
        self.assertIsNone(match_site(read_sites()[0], "unknown.example.cn", "80"))

    def test_a_port_that_is_not_a_number_gets_the_host_names_site_not_an_error(self):
        # Wagtail's query raises ValueError for it.
        self.assertEqual(match_site(read_sites()[0], "localhost", "not-a-port").pk, self.default.pk)

    def test_root_paths_are_wagtails_in_wagtails_order(self):
        Site.objects.create(hostname="en.example.cn", port=80, root_page=self.other_root)
        Site.objects.create(hostname="b.example.cn", port=80, root_page=self.home)
        _, root_paths = read_sites()
        self.assertEqual(root_paths, Site.get_site_root_paths())

    def test_sites_and_their_specific_home_pages_are_read_in_one_query(self):
        with CaptureQueriesContext(connection) as queries:
            sites, _ = read_sites()
            home = sites[0].root_page
            self.assertIsInstance(home, HomePage)
            self.assertEqual((home.title, home.lead_story_id, home.locale.language_code), ("首页", None, "zh-hans"))
        self.assertEqual(len(queries), 1)

    def test_a_root_of_another_page_type_is_read_specific(self):
        Site.objects.create(hostname="en.example.cn", port=80, root_page=self.other_root)
        sites = {site.hostname: site for site in read_sites()[0]}
        self.assertEqual(type(sites["en.example.cn"].root_page), Page)
        self.assertEqual(sites["en.example.cn"].root_page.title, "英文站")


@page_cache_on()
class HomePageChangeTests(TestCase):
    def test_a_new_lead_story_shows_on_the_cached_home_page_at_once(self):
        home = factories.home_page()
        channel = factories.channel("要闻", slug="yaowen")
        older = factories.article(channel, "要闻较早", "2022-10-01", summary="较早。")
        factories.article(channel, "要闻最新", "2022-11-01", summary="最新。")
        fresh_caches()

        def lead():
            soup = BeautifulSoup(self.client.get("/").content, "html.parser")
            return soup.select_one("section.lead-story h2").get_text(strip=True)

        self.assertEqual(lead(), "要闻最新")
        home.lead_story = older
        with self.captureOnCommitCallbacks(execute=True):
            home.save_revision().publish()
        self.assertEqual(lead(), "要闻较早")
