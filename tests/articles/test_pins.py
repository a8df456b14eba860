"""置顶: pinned articles lead their channel's first page (and their channel's home list when chosen), in pin
order, until they expire; only chief editors pin; a pin refreshes exactly the lists that show it."""

from datetime import timedelta
from unittest import mock

from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.pins import ArticlePin
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase
from tests.pagecache.helpers import fresh_caches, page_cache_on


def listed(response, selector="ul.article-list li a"):
    """The list's items as shown: "置顶 " before the title of a pinned one."""
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(link.get_text().split()) for link in soup.select(selector)]


def home_block(response, channel):
    return listed(response, f'section[aria-labelledby="channel-{channel.pk}"] ul.article-list li a')


def later(**delta):
    """A clock that reads ``delta`` from now."""
    moment = timezone.now() + timedelta(**delta)
    return mock.patch("django.utils.timezone.now", return_value=moment)


class PinnedListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        start = factories.when("2022-01-01 09:00")
        cls.articles = {
            n: factories.article(cls.yaowen, f"第{n:02d}篇", start + timedelta(days=n)) for n in range(1, 26)
        }
        cls.kepu_articles = [factories.article(cls.kepu, f"科普{n}", start + timedelta(days=n)) for n in range(1, 4)]
        cls.newest_first = [f"第{n:02d}篇" for n in range(25, 0, -1)]

    def pin(self, n, **fields):
        return ArticlePin.objects.create(article=self.articles[n], **fields)

    def test_pinned_articles_come_first_on_page_one_in_pin_order_without_duplicates(self):
        self.pin(3, sort_order=2)
        self.pin(10, sort_order=1)
        titles = listed(self.client.get("/yaowen/"))
        rest = [title for title in self.newest_first[:20] if title != "第10篇"]
        self.assertEqual(titles, ["置顶 第10篇", "置顶 第03篇", *rest])

    def test_pins_of_the_same_order_show_the_latest_pinned_first(self):
        self.pin(1)
        self.pin(2)
        self.assertEqual(listed(self.client.get("/yaowen/"))[:2], ["置顶 第02篇", "置顶 第01篇"])

    def test_second_page_keeps_its_places(self):
        self.pin(3)
        self.pin(22)
        self.assertEqual(listed(self.client.get("/yaowen/?page=2")), self.newest_first[20:])
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        self.assertIn("第 1 / 2 页", " ".join(soup.select_one("nav.pagination").get_text().split()))

    def test_an_expired_pin_leaves_the_list_without_any_job(self):
        self.pin(3, expires_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(listed(self.client.get("/yaowen/"))[0], "置顶 第03篇")
        with later(hours=2):
            self.assertEqual(listed(self.client.get("/yaowen/")), self.newest_first[:20])

    def test_a_pinned_article_no_longer_live_is_not_listed(self):
        self.pin(3)
        self.articles[3].unpublish()
        self.assertEqual(listed(self.client.get("/yaowen/")), self.newest_first[:20])

    def test_a_pin_shows_only_in_its_own_channel(self):
        self.pin(3, show_on_home=True)
        self.assertEqual(listed(self.client.get("/kepu/")), ["科普3", "科普2", "科普1"])

    def test_home_lists_show_only_pins_chosen_for_the_home_page(self):
        self.pin(3)
        response = self.client.get("/")
        self.assertEqual(home_block(response, self.yaowen), self.newest_first[1:7])  # 第25篇 is the lead story
        self.assertNotIn("置顶", response.content.decode())

    def test_a_pin_on_the_home_page_leads_its_channels_block(self):
        self.pin(3, show_on_home=True, sort_order=1)
        self.pin(20, show_on_home=True, sort_order=0)
        response = self.client.get("/")
        block = home_block(response, self.yaowen)
        # Six items still: the two pins, then the newest without 第20篇 again (第25篇 is the lead story).
        self.assertEqual(block, ["置顶 第20篇", "置顶 第03篇", "第24篇", "第23篇", "第22篇", "第21篇"])
        self.assertEqual(home_block(response, self.kepu), ["科普3", "科普2", "科普1"])

    def test_an_expired_home_pin_leaves_the_home_page(self):
        self.pin(3, show_on_home=True, expires_at=timezone.now() + timedelta(minutes=5))
        with later(minutes=6):
            self.assertEqual(home_block(self.client.get("/"), self.yaowen), self.newest_first[1:7])

    def test_the_mark_is_text_not_only_colour(self):
        self.pin(3)
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        link = soup.select_one("ul.article-list li a")
        self.assertEqual(link.select_one(".pin-mark").get_text(), "置顶")
        self.assertEqual(link["href"], self.articles[3].url)


@page_cache_on()
class PinCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        cls.old = factories.article(cls.yaowen, "旧闻", "2022-01-01 09:00")
        cls.new = factories.article(cls.yaowen, "新闻", "2022-02-01 09:00")
        cls.science = factories.article(cls.kepu, "科普文章", "2022-02-01 09:00")

    def setUp(self):
        fresh_caches()

    def purged_by(self, change):
        """The keys the edge is purged of after ``change`` commits."""
        with mock.patch("pagecache.signals.purge_edge_cache") as purge, self.captureOnCommitCallbacks(execute=True):
            change()
        return set().union(*(call.args[0] for call in purge.call_args_list))

    def test_pinning_refreshes_exactly_its_channel(self):
        keys = self.purged_by(lambda: ArticlePin.objects.create(article=self.old))
        self.assertEqual(keys, {f"list-{self.yaowen.pk}", "pins"})

    def test_pinning_to_the_home_page_refreshes_the_home_page_too(self):
        keys = self.purged_by(lambda: ArticlePin.objects.create(article=self.old, show_on_home=True))
        self.assertEqual(keys, {f"list-{self.yaowen.pk}", "home", "pins"})

    def test_moving_a_pin_or_taking_it_off_the_home_page_refreshes_where_it_was(self):
        pin = ArticlePin.objects.create(article=self.old, show_on_home=True)
        pin = ArticlePin.objects.get(pk=pin.pk)
        pin.article, pin.show_on_home = self.science, False
        keys = self.purged_by(pin.save)
        self.assertEqual(keys, {f"list-{self.yaowen.pk}", f"list-{self.kepu.pk}", "home", "pins"})
        keys = self.purged_by(ArticlePin.objects.get(pk=pin.pk).delete)
        self.assertEqual(keys, {f"list-{self.kepu.pk}", "pins"})

    def test_a_cached_channel_page_shows_a_new_pin_and_other_channels_stay_cached(self):
        self.client.get("/yaowen/")
        self.client.get("/kepu/")
        with self.captureOnCommitCallbacks(execute=True):
            ArticlePin.objects.create(article=self.old)
        response = self.client.get("/yaowen/")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertEqual(listed(response), ["置顶 旧闻", "新闻"])
        self.assertEqual(self.client.get("/kepu/")["X-Page-Cache"], "hit")

    def test_a_cached_page_stops_showing_a_pin_once_it_expires(self):
        ArticlePin.objects.create(article=self.old, expires_at=timezone.now() + timedelta(minutes=10))
        response = self.client.get("/yaowen/")
        self.assertEqual(listed(response), ["置顶 旧闻", "新闻"])
        # The edge keeps it no longer than the pin lasts.
        self.assertLessEqual(int(response["Cache-Control"].split("s-maxage=")[1]), 600)
        self.assertEqual(self.client.get("/yaowen/")["X-Page-Cache"], "hit")
        with later(minutes=11):
            response = self.client.get("/yaowen/")
            self.assertEqual(response["X-Page-Cache"], "miss")
            self.assertEqual(listed(response), ["新闻", "旧闻"])
            # A URL the page cache has not seen is made from fragments: those showing the pin are stale too.
            self.assertEqual(listed(self.client.get("/yaowen/?from=timeline")), ["新闻", "旧闻"])

    def test_the_home_page_drops_an_expired_pin_from_its_cached_fragments(self):
        ArticlePin.objects.create(article=self.old, show_on_home=True, expires_at=timezone.now() + timedelta(hours=1))
        self.assertEqual(home_block(self.client.get("/"), self.yaowen), ["置顶 旧闻", "新闻"])
        with later(hours=2):
            self.assertEqual(home_block(self.client.get("/?from=timeline"), self.yaowen), ["新闻", "旧闻"])

    def test_pages_without_an_expiring_pin_are_kept_as_before(self):
        ArticlePin.objects.create(article=self.old)
        response = self.client.get("/yaowen/")
        self.assertNotIn("s-maxage", response.get("Cache-Control", ""))
        self.assertNotIn("until-", response["xkey"])


@page_cache_on()
class PinQueryCountTests(TestCase):
    """Pins cost the channel and home pages no query of their own (counted as tests/performance does)."""

    @classmethod
    def setUpTestData(cls):
        cls.channels = [factories.channel(f"栏目{n}", slug=f"pin-budget-{n}") for n in range(3)]
        cls.articles = [
            factories.article(cls.channels[n % 3], date=f"2022-{1 + n % 12:02d}-{1 + n % 28:02d} 09:00")
            for n in range(30)
        ]

    def count(self, url):
        for _ in range(2):  # as earlier readers would warm the per-process caches
            self.client.get(url)
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        return len(queries), response

    def test_pinning_adds_no_query_to_the_channel_and_home_pages(self):
        fresh_caches()
        channel_url = self.channels[0].url
        before = {url: self.count(url)[0] for url in ("/", channel_url, channel_url + "?page=2")}
        expires = timezone.now() + timedelta(days=1)
        for n, article in enumerate(self.articles[:6]):
            ArticlePin.objects.create(article=article, sort_order=n, show_on_home=True, expires_at=expires)
        after = {}
        for url in before:
            after[url], response = self.count(url)
            if "?" not in url:
                self.assertContains(response, "pin-mark")
        self.assertEqual(after, before)


class PinAdminTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.live = factories.article(cls.yaowen, "汾河湿地保护", "2022-03-01 09:00")
        cls.draft = factories.article(cls.yaowen, "未发布的稿件", publish=False)

    def test_chief_editor_pins_a_live_article_through_the_admin(self):
        client = self.as_user(self.chief)
        self.assertContains(client.get(reverse("wagtailadmin_home")), reverse("pins:index"))
        form = {"article": self.live.pk, "sort_order": "1", "expires_at": "", "show_on_home": "on"}
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("pins:add"), form)
        self.assertRedirects(response, reverse("pins:index"))
        pin = ArticlePin.objects.get()
        self.assertEqual((pin.article, pin.pinned_by, pin.show_on_home), (self.live, self.chief, True))
        listing = client.get(reverse("pins:index"))
        self.assertContains(listing, "汾河湿地保护")
        self.assertContains(listing, "生效中")
        self.assertEqual(listed(self.client.get("/yaowen/"))[0], "置顶 汾河湿地保护")

    def test_only_live_articles_can_be_pinned(self):
        client = self.as_user(self.chief)
        response = client.post(reverse("pins:add"), {"article": self.draft.pk, "sort_order": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "只能置顶已发布的文章。")
        chooser = client.get(reverse("live_article_chooser:choose")).json()["html"]
        self.assertIn("汾河湿地保护", chooser)
        self.assertNotIn("未发布的稿件", chooser)

    def test_an_expiry_in_the_past_is_refused(self):
        past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
        response = self.as_user(self.chief).post(
            reverse("pins:add"), {"article": self.live.pk, "sort_order": "0", "expires_at": past}
        )
        self.assertContains(response, "到期时间应晚于现在。")
        self.assertFalse(ArticlePin.objects.exists())

    def test_an_article_is_pinned_once(self):
        ArticlePin.objects.create(article=self.live)
        response = self.as_user(self.chief).post(reverse("pins:add"), {"article": self.live.pk, "sort_order": "0"})
        self.assertContains(response, "这篇文章已经置顶,请修改原有的置顶。")

    def test_chief_editor_removes_a_pin(self):
        pin = ArticlePin.objects.create(article=self.live)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.as_user(self.chief).post(reverse("pins:delete", args=(pin.pk,)))
        self.assertRedirects(response, reverse("pins:index"))
        self.assertEqual(listed(self.client.get("/yaowen/")), ["汾河湿地保护"])

    def test_reporters_and_editors_get_no_menu_item_and_403(self):
        pin = ArticlePin.objects.create(article=self.live)
        urls = [
            reverse("pins:index"),
            reverse("pins:add"),
            reverse("pins:edit", args=(pin.pk,)),
            reverse("pins:delete", args=(pin.pk,)),
        ]
        for person in (self.reporter, self.editor):
            client = self.as_user(person)
            self.assertNotContains(client.get(reverse("wagtailadmin_home")), reverse("pins:index"))
            for url in [*urls, reverse("live_article_chooser:choose")]:
                self.assertEqual(client.get(url).status_code, 403, (person, url))
            self.assertEqual(client.post(reverse("pins:delete", args=(pin.pk,))).status_code, 403)
        self.assertTrue(ArticlePin.objects.filter(pk=pin.pk).exists())
