"""Versions in the shared cache expire, and what a change made stale never comes back when they do.

With Redis (``REDIS_URL``) each key's version lives in the page cache beside the entries (pagecache/keys.py).
A version that is gone reads as "0", so it must not bring back an entry stored before the change it
recorded. These tests keep the versions in the page cache as production does with Redis (the locmem cache
without ``REDIS_URL``), and make a version "expire" by deleting it.
"""

import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, TestCase
from wagtail.models import Site

from home.context_processors import site_name
from home.models import SiteSettings
from pagecache import keys
from tests import factories

from .helpers import fresh_caches, page_cache_on


def lifetimes_left():
    """``{stored key: seconds it has left}`` (None: kept for ever) for everything in the page cache."""
    cache = caches["pages"]
    if isinstance(cache, RedisCache):
        client = redis.Redis.from_url(settings.CACHES["pages"]["LOCATION"])
        left = {key.decode(): client.pttl(key) for key in client.scan_iter(match=cache.make_key("*"))}
        return {key: None if ms == -1 else ms / 1000 for key, ms in left.items() if ms != -2}
    now = time.time()
    return {
        key: None if expires is None else expires - now
        for key, expires in cache._expire_info.items()
        if expires is None or expires > now
    }


def stored_key(name):
    return caches["pages"].make_key(name)


def expire(*names):
    """The versions of ``names`` run out, as they do in the shared cache some time after a change."""
    caches["pages"].delete_many([keys.KEY_PREFIX + name for name in names])


@page_cache_on(GENERATION="cache")
class VersionLifetimeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护", "2022-02-01 09:00")

    def setUp(self):
        fresh_caches()
        self.reader = Client()

    def cache_pages_then_edit(self):
        """Cache the article, its channel and home (pages and fragments), then change the article."""
        for url in (self.article.url, self.channel.url, "/"):
            self.assertEqual(self.reader.get(url).status_code, 200)
        self.article.title = "汾河湿地保护取得新进展"
        factories.publish_unreviewed(self.article)

    def assert_change_outlives_what_it_made_stale(self):
        left = lifetimes_left()
        versions = {key: seconds for key, seconds in left.items() if key.startswith(stored_key(keys.KEY_PREFIX))}
        # Pages and fragments (the generation and the last-change mark are single keys, kept for ever).
        entries = [seconds for key, seconds in left.items() if key not in versions and seconds is not None]
        self.assertTrue(entries, "the pages were cached")
        self.assertNotIn(None, versions.values(), "no version is kept for ever")
        self.assertGreaterEqual(versions[stored_key(f"{keys.KEY_PREFIX}page-{self.article.pk}")], max(entries))

    def test_a_change_is_kept_for_a_limited_time_yet_longer_than_every_page_it_made_stale(self):
        self.cache_pages_then_edit()
        self.assert_change_outlives_what_it_made_stale()

    def test_a_change_outlives_fragments_kept_longer_than_pages(self):
        with page_cache_on(GENERATION="cache", TIMEOUT=600, FRAGMENT_TIMEOUT=3600):
            self.cache_pages_then_edit()
            self.assert_change_outlives_what_it_made_stale()

    def test_versions_are_kept_for_ever_while_pages_are(self):
        with page_cache_on(GENERATION="cache", TIMEOUT=None, FRAGMENT_TIMEOUT=None):
            self.cache_pages_then_edit()
            self.assertIsNone(lifetimes_left()[stored_key(f"{keys.KEY_PREFIX}page-{self.article.pk}")])


@page_cache_on(GENERATION="cache")
class ExpiredVersionTests(TestCase):
    """An old article whose versions expired long ago is read, cached, changed; later the change's versions
    expire too. The page cached before the change must not be served again."""

    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护", "2022-02-01 09:00")

    def setUp(self):
        fresh_caches()
        self.reader = Client()

    def test_a_page_cached_before_a_change_is_not_served_when_the_change_expires(self):
        shown = self.reader.get(self.article.url)["xkey"].split()
        expire(*shown)
        self.reader.get(self.article.url)  # cached while none of its keys had a version
        self.assertEqual(self.reader.get(self.article.url)["X-Page-Cache"], "hit")

        self.article.title = "汾河湿地保护取得新进展"
        factories.publish_unreviewed(self.article)
        expire(*shown)

        response = self.reader.get(self.article.url)
        self.assertNotEqual(response["X-Page-Cache"], "hit")
        self.assertContains(response, "汾河湿地保护取得新进展")

    def test_a_fragment_cached_before_a_change_is_not_served_when_the_change_expires(self):
        shown = self.reader.get(self.article.url)["xkey"].split()
        expire(*shown)
        self.reader.get(self.article.url + "?from=timeline")  # fragments kept without versions

        self.article.title = "汾河湿地保护取得新进展"
        factories.publish_unreviewed(self.article)
        expire(*shown)

        self.assertContains(self.reader.get(self.article.url + "?from=singlemessage"), "汾河湿地保护取得新进展")

    def test_a_workers_own_copy_of_the_site_name_is_not_used_when_the_change_expires(self):
        site = Site.objects.get(is_default_site=True)
        expire("settings")
        self.assertEqual(site_name(site=site), "生态山西")  # kept in this process while its keys hold

        site_settings = SiteSettings.for_site(site)
        site_settings.site_name = "美丽山西"
        site_settings.save()
        expire("settings")

        self.assertEqual(site_name(site=site), "美丽山西")
