"""A publish refreshes only what shows the article: every cached page and fragment records the keys of what
it shows, and a change bumps the keys of what it changes (pagecache/keys.py, articles.services.changed_keys).

Each test reads the pages first (so they are cached), acts as an editor would, then reads them again as an
anonymous reader: pages that show the change are fresh, the others are still served from the cache.
"""

import uuid

from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from pagecache import generation
from tests import factories

from .helpers import fresh_caches, page_cache_on


@page_cache_on()
class KeyedInvalidationTests(TestCase):
    def setUp(self):
        self.yaowen = factories.channel("要闻", slug="yaowen")
        self.kepu = factories.channel("科普", slug="kepu")
        self.older = factories.article(self.yaowen, "较早的要闻", "2022-01-01 09:00")
        self.article = factories.article(self.yaowen, "汾河湿地保护", "2022-02-01 09:00", tags=["湿地"])
        self.elsewhere = factories.article(self.kepu, "垃圾分类知识", "2022-01-15 09:00")
        self.same_tag = factories.article(self.kepu, "湿地鸟类观察", "2021-06-01 09:00", tags=["湿地"])
        self.reader = Client()
        fresh_caches()
        self.urls = ["/", self.yaowen.url, self.kepu.url, self.older.url, self.article.url, self.elsewhere.url]
        self.urls.append(self.same_tag.url)
        for url in self.urls:
            self.reader.get(url)

    def read(self, url):
        return self.reader.get(url).content.decode()

    def assert_still_cached(self, url):
        self.assertEqual(self.reader.get(url).get("X-Page-Cache"), "hit", url)

    def test_an_unrelated_article_stays_cached_after_a_publish(self):
        self.article.title = "汾河湿地保护取得新进展"
        factories.publish_unreviewed(self.article)
        self.assert_still_cached(self.elsewhere.url)
        self.assert_still_cached(self.kepu.url)
        self.assertIn("汾河湿地保护取得新进展", self.read(self.older.url))  # its 下一篇

    def test_a_new_article_refreshes_home_its_channel_and_its_date_neighbours(self):
        factories.article(self.yaowen, "太原新增城市公园", "2022-01-20 09:00")
        for url in ["/", self.yaowen.url, self.older.url, self.article.url]:
            self.assertIn("太原新增城市公园", self.read(url), url)
        self.assert_still_cached(self.elsewhere.url)

    def test_a_new_article_refreshes_the_articles_sharing_its_tags(self):
        factories.article(self.yaowen, "湿地公园开园", "2022-03-01 09:00", tags=["湿地"])
        self.assertIn("湿地公园开园", self.read(self.same_tag.url))  # 相关新闻 in another channel
        self.assert_still_cached(self.elsewhere.url)

    def test_moving_an_article_refreshes_both_channels_and_its_new_neighbours(self):
        self.article.move(self.kepu, pos="last-child")
        self.assertNotIn("汾河湿地保护", self.read(self.yaowen.url))
        self.assertIn("汾河湿地保护", self.read(self.kepu.url))
        self.assertNotIn("汾河湿地保护", self.read(self.older.url))  # no longer its 下一篇 nor related
        self.assertIn("汾河湿地保护", self.read(self.elsewhere.url))  # now its 下一篇 in 科普

    def test_withdrawing_an_article_refreshes_the_pages_that_pointed_at_it(self):
        self.article.unpublish()
        for url in ["/", self.yaowen.url, self.older.url, self.same_tag.url]:
            self.assertNotIn("汾河湿地保护", self.read(url), url)
        self.assert_still_cached(self.elsewhere.url)


class KeyedInvalidationThroughFragmentsTests(KeyedInvalidationTests):
    """The same changes read through URLs the page cache has never seen (a WeChat share link's ?from=…):
    such a page is put together from cached fragments, which are kept or refreshed by the same keys."""

    reads = 0

    def fresh_url(self, url):
        self.reads += 1
        return f"{url}?from=timeline&r={self.reads}"

    def read(self, url):
        response = self.reader.get(self.fresh_url(url))
        self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)
        return response.content.decode()

    def assert_still_cached(self, url):
        # Every fragment of the page is still valid, so putting it together reads nothing from the database.
        with CaptureQueriesContext(connection) as queries:
            self.reader.get(self.fresh_url(url))
        self.assertEqual(len(queries), 0, f"{url}: {[query['sql'] for query in queries]}")


@page_cache_on()
class DateNeighboursTests(TestCase):
    """相关新闻 is filled with the channel's news of the time, so a new article refreshes only the articles
    of its time, not the whole channel's."""

    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.archive = [factories.article(cls.channel, f"旧闻{n:02d}", f"2021-01-{n:02d} 09:00") for n in range(1, 16)]

    def setUp(self):
        fresh_caches()
        self.reader = Client()
        self.nearest, self.farthest = self.archive[-1], self.archive[0]
        for article in (self.nearest, self.farthest):
            self.reader.get(article.url)

    def test_a_new_article_refreshes_its_date_neighbours_only(self):
        factories.article(self.channel, "新闻快讯", "2021-02-01 09:00")
        self.assertIn("新闻快讯", self.reader.get(self.nearest.url).content.decode())  # 下一篇 and 相关新闻
        self.assertEqual(self.reader.get(self.farthest.url).get("X-Page-Cache"), "hit")

    def test_an_edit_of_the_text_alone_keeps_the_neighbours_that_do_not_show_it(self):
        shown_by = self.archive[-2]  # its 相关新闻 lists the nearest
        edited = self.archive[-1]
        self.reader.get(shown_by.url)
        edited.subtitle = "新的副标题"
        factories.publish_unreviewed(edited)
        self.assertEqual(self.reader.get(self.farthest.url).get("X-Page-Cache"), "hit")
        self.assertNotEqual(self.reader.get(shown_by.url).get("X-Page-Cache"), "hit")


@page_cache_on()
class KeysOfAPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.older = factories.article(cls.channel, "较早的要闻", "2022-01-01 09:00")
        cls.article = factories.article(cls.channel, "汾河湿地保护", "2022-02-01 09:00", tags=["湿地"])

    def setUp(self):
        fresh_caches()

    def keys_of(self, response):
        return set(response["xkey"].split())

    def test_an_article_page_names_what_it_shows(self):
        shown = self.keys_of(self.client.get(self.article.url))
        tag = self.article.tags.get()
        expected = {f"page-{self.article.pk}", f"page-{self.older.pk}", f"page-{self.channel.pk}"}
        expected |= {f"related-{self.article.pk}", f"tag-{tag.pk}", "nav", "settings"}
        self.assertLessEqual(expected, shown)
        self.assertNotIn(f"list-{self.channel.pk}", shown)  # an article does not show its channel's list
        self.assertNotIn("home", shown)

    def test_a_fragment_served_from_the_cache_gives_its_keys_to_the_page(self):
        self.client.get(self.article.url)  # keeps the fragments
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.article.url + "?from=singlemessage")
        self.assertEqual(response.get("X-Page-Cache"), "miss")
        self.assertEqual(len(queries), 0)  # the page was put together from fragments
        self.assertIn(f"page-{self.older.pk}", self.keys_of(response))  # its 上一篇, from the article fragment
        self.assertIn("settings", self.keys_of(response))  # from the footer

    def test_lists_name_their_lists(self):
        self.assertIn(f"list-{self.channel.pk}", self.keys_of(self.client.get(self.channel.url)))
        self.assertIn(f"list-{self.channel.pk}", self.keys_of(self.client.get(self.channel.url + "feed/")))
        self.assertIn("home", self.keys_of(self.client.get("/")))
        self.assertIn("all", self.keys_of(self.client.get("/rss/")))
        self.assertIn("all", self.keys_of(self.client.get("/sitemap.xml")))

    def test_an_entry_is_not_stored_when_a_key_is_bumped_while_it_renders(self):
        # A render that read rows before a change was committed must not outlive the change.
        from pagecache import keys

        started = keys.render_started()
        keys.bump({f"page-{self.article.pk}"})
        self.assertIsNone(keys.versions_for_store({f"page-{self.article.pk}"}, started))
        self.assertIsNotNone(keys.versions_for_store({f"page-{self.article.pk}"}, keys.render_started()))


@page_cache_on()
class BoundedMemoryTests(TestCase):
    """Requests with made-up Host headers must not grow a worker's memory."""

    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")

    def setUp(self):
        fresh_caches()
        self.client.get("/")

    @override_settings(ALLOWED_HOSTS=["testserver"])
    def test_hosts_django_refuses_are_never_looked_up_or_kept(self):
        before = generation.local_entries()
        for _ in range(300):
            response = self.client.get("/", HTTP_HOST=f"{uuid.uuid4().hex}.example.com")
            self.assertEqual(response.status_code, 400)
        self.assertEqual(generation.local_entries(), before)

    def test_the_per_process_caches_stay_bounded_when_every_host_is_allowed(self):
        limit = 50
        with self.settings(ALLOWED_HOSTS=["*"]), page_cache_on(LOCAL_ENTRIES=limit):
            for _ in range(300):
                self.client.get(self.channel.url, HTTP_HOST=f"{uuid.uuid4().hex}.example.com")
            self.assertLessEqual(generation.local_entries(), limit)
