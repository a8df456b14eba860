"""SQL queries per reader page stay within budget whatever the number of articles, channels, tags or links.

Budgets (docs/performance.md): article ≤ 8, home ≤ 10, channel ≤ 6, counted on a page-cache miss: the
page cache is emptied before the counted request; the per-process caches a running server keeps warm
(sites, channels, view restrictions, promoted items, renditions) are warmed by earlier requests.
"""

from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.pagecache.helpers import fresh_caches, page_cache_on, warm_up_worker

ARTICLE_BUDGET = 8
HOME_BUDGET = 10
CHANNEL_BUDGET = 6
# The first article of a process that has read nothing yet: every cache empty, its per-process data (sites,
# channels, view restrictions, settings, promoted items) read too. A gunicorn worker reads that data before its
# first request (config/gunicorn.py), and its first article then keeps to ARTICLE_BUDGET.
COLD_PROCESS_ARTICLE_BUDGET = 11


def build_site(size):
    """``size`` channels each with ``3 * size`` articles, tags, covers, links and promoted items."""
    channels = [factories.channel(f"栏目{n}", slug=f"budget-{size}-{n}") for n in range(size)]
    body = factories.body(
        {"type": "paragraph", "value": "<p>生态环境保护。</p>"},
        *(
            {
                "type": "image",
                "value": {"image": {"image": factories.image().pk, "alt_text": "图", "decorative": False}},
            }
            for _ in range(min(size, 3))
        ),
    )
    articles = []
    for number in range(3 * size * size):
        articles.append(
            factories.article(
                channels[number % size],
                date=f"2022-{1 + number % 12:02d}-{1 + number % 28:02d} 09:00",
                tags=["生态", f"标签{number % (size + 1)}", f"标签{number % 7}"][: 1 + number % 3],
                cover_image=factories.image() if number % 2 else None,
            )
        )
    target = factories.article(
        channels[0],
        "预算测试文章",
        "2023-01-01 09:00",
        tags=[f"标签{n}" for n in range(size)],
        related=articles[: size * 3],
        cover_image=factories.image(),
        body=body,
    )
    factories.promote(factories.home_page(), *[item for item in articles if item.cover_image][:size])
    return channels, target


@page_cache_on()
class QueryBudgetTests(TestCase):
    def count(self, url):
        for _ in range(2):  # warm the per-process caches and renditions, as earlier readers would
            self.client.get(url)
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get("X-Page-Cache"), "miss")
        return len(queries)

    def counts_for(self, size):
        channels, target = build_site(size)
        fresh_caches()
        return {
            "article": self.count(target.url),
            "home": self.count("/"),
            "channel": self.count(channels[0].url),
            "channel page 2": self.count(channels[0].url + "?page=2"),
        }

    def test_reader_pages_stay_within_budget_and_do_not_grow_with_content(self):
        small = self.counts_for(1)
        large = self.counts_for(4)
        self.assertEqual(small, large, "query counts must not depend on the amount of content")
        self.assertLessEqual(large["article"], ARTICLE_BUDGET)
        self.assertLessEqual(large["home"], HOME_BUDGET)
        self.assertLessEqual(large["channel"], CHANNEL_BUDGET)
        self.assertLessEqual(large["channel page 2"], CHANNEL_BUDGET)

    def test_an_article_whose_renditions_are_not_cached_reads_them_in_one_query(self):
        """Page cache, fragments and renditions cache empty: three body images, a cover and four promoted
        covers cost what one of each does, within the article budget."""
        counts = {}
        for size in (1, 4):
            _, target = build_site(size)
            fresh_caches()
            self.client.get(target.url)  # the worker's own data, kept per process
            caches["renditions"].clear()
            counts[size] = self.count_once(target.url)
        self.assertEqual(counts[1], counts[4])
        self.assertLessEqual(counts[4], ARTICLE_BUDGET)

    def first_article_of_a_new_process(self, warm_up=False):
        counts = {}
        for size in (1, 4):
            _, target = build_site(size)
            self.client.get(target.url)  # renditions exist, as after a publish
            for alias in caches:
                caches[alias].clear()
            fresh_caches()
            if warm_up:
                self.assertEqual(warm_up_worker(), 200)
            counts[size] = self.count_once(target.url)
        self.assertEqual(counts[1], counts[4])
        return counts[4]

    def test_the_first_article_of_a_process_that_has_read_nothing_stays_within_budget(self):
        self.assertLessEqual(self.first_article_of_a_new_process(), COLD_PROCESS_ARTICLE_BUDGET)

    def test_a_new_gunicorn_workers_first_article_stays_within_the_article_budget(self):
        """The worker's warm-up (config/gunicorn.py) has read the sites, channels, settings and promoted items;
        the page cache, fragments and renditions cache are empty."""
        self.assertLessEqual(self.first_article_of_a_new_process(warm_up=True), ARTICLE_BUDGET)

    def count_once(self, url):
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get("X-Page-Cache"), "miss")
        return len(queries)

    def test_home_without_promoted_items_stays_within_budget(self):
        channels = [factories.channel(f"频道{n}", slug=f"nopromo-{n}") for n in range(5)]
        for number in range(25):
            factories.article(channels[number % 5], cover_image=factories.image() if number % 2 else None)
        fresh_caches()
        self.assertLessEqual(self.count("/"), HOME_BUDGET)

    def test_a_cached_page_costs_no_query(self):
        channel = factories.channel("要闻", slug="cached-yaowen")
        article = factories.article(channel, "缓存文章")
        fresh_caches()
        self.client.get(article.url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(article.url)
        self.assertEqual(response.get("X-Page-Cache"), "hit")
        self.assertEqual(len(queries), 0)

    def test_an_article_rendered_from_warm_fragments_costs_no_query(self):
        """A URL the page cache has not seen (a share link's ?from=…) reuses the article's fragments."""
        _, target = build_site(2)
        fresh_caches()
        self.client.get(target.url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(target.url + "?from=timeline")
        self.assertEqual(response.get("X-Page-Cache"), "miss")
        self.assertContains(response, "预算测试文章")
        self.assertEqual(len(queries), 0, [query["sql"][:120] for query in queries.captured_queries])
