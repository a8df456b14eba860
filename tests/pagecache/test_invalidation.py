"""The full-page cache never shows readers stale content: every change is visible on the next read.

Each test first reads the affected pages (so they are in the page cache), acts as an editor would, then
reads them again as an anonymous reader.
"""

from django.test import Client, TestCase
from wagtail.models import PageViewRestriction, Site

from home.models import SiteSettings
from tests import factories

from .helpers import fresh_caches, page_cache_on


@page_cache_on()
class InvalidationTests(TestCase):
    def setUp(self):
        self.yaowen = factories.channel("要闻", slug="yaowen")
        self.kepu = factories.channel("科普", slug="kepu")
        self.older = factories.article(self.yaowen, "较早的文章", "2022-01-01 09:00", tags=["湿地"])
        self.article = factories.article(self.yaowen, "汾河湿地保护", "2022-02-01 09:00", tags=["湿地"])
        self.reader = Client()
        fresh_caches()
        self.urls = ["/", self.yaowen.url, self.older.url, self.article.url, "/rss/", "/sitemap.xml"]
        for url in self.urls:  # fill the cache
            self.reader.get(url)
        for url in self.urls[:4]:
            self.assertEqual(self.reader.get(url).get("X-Page-Cache"), "hit", url)

    def read(self, url):
        return self.reader.get(url).content.decode()

    def test_publishing_a_new_article_shows_it_everywhere_at_once(self):
        new = factories.article(self.yaowen, "太原新增城市公园", "2022-03-01 09:00", tags=["湿地"])
        self.assertIn("太原新增城市公园", self.read("/"))
        self.assertIn("太原新增城市公园", self.read(self.yaowen.url))
        self.assertIn("太原新增城市公园", self.read(self.article.url))  # 下一篇 and 相关新闻
        self.assertIn("太原新增城市公园", self.read("/rss/"))
        self.assertIn(new.url, self.read("/sitemap.xml"))

    def test_editing_a_live_article_updates_its_page_and_every_list(self):
        self.article.title = "汾河湿地保护取得新进展"
        factories.publish_unreviewed(self.article)
        for url in ["/", self.yaowen.url, self.older.url, self.article.url, "/rss/"]:
            self.assertIn("汾河湿地保护取得新进展", self.read(url), url)

    def test_a_draft_edit_is_not_shown_until_published(self):
        self.article.title = "尚未发布的标题"
        self.article.save_revision()
        self.assertNotIn("尚未发布的标题", self.read(self.article.url))

    def test_unpublishing_removes_the_article_from_every_page(self):
        self.article.unpublish()
        self.assertEqual(self.reader.get(self.article.url).status_code, 404)
        for url in ["/", self.yaowen.url, self.older.url, "/rss/"]:
            self.assertNotIn("汾河湿地保护", self.read(url), url)

    def test_moving_an_article_changes_its_channel_pages(self):
        self.article.move(self.kepu, pos="last-child")
        self.assertNotIn("汾河湿地保护", self.read(self.yaowen.url))
        self.assertIn("汾河湿地保护", self.read(self.kepu.url))
        self.assertIn(self.reader.get(self.article.url).status_code, (301, 404))  # Wagtail may redirect
        self.assertEqual(self.reader.get("/kepu/" + self.article.slug + "/").status_code, 200)
        self.assertNotIn('rel="next"', self.read(self.older.url))
        self.assertIn("/kepu/" + self.article.slug + "/", self.read(self.older.url))  # still related

    def test_deleting_an_article_removes_it(self):
        self.article.delete()
        self.assertEqual(self.reader.get(self.article.url).status_code, 404)
        for url in ["/", self.yaowen.url, self.older.url, "/rss/"]:
            self.assertNotIn("汾河湿地保护", self.read(url), url)

    def test_making_an_article_private_hides_it_from_the_cache(self):
        PageViewRestriction.objects.create(
            page=self.article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        self.assertNotIn("汾河湿地保护", self.read("/"))
        self.assertNotIn("汾河湿地保护", self.read(self.older.url))
        self.assertNotIn("汾河湿地在", self.read(self.article.url))

    def test_changing_site_settings_shows_on_every_page(self):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.icp_number = "晋ICP备12345678号"
        settings.save()
        for url in ["/", self.yaowen.url, self.article.url]:
            self.assertIn("晋ICP备12345678号", self.read(url), url)

    def test_a_new_site_name_shows_in_every_part_of_the_page(self):
        settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        settings.site_name = "生态山西网"
        settings.save()
        article = self.read(self.article.url)
        self.assertIn("关注生态山西网", article)  # the share line, inside the article's content
        self.assertIn("<title>汾河湿地保护 - 生态山西网</title>", article)
        self.assertNotIn("生态山西<", article)

    def test_site_settings_saved_in_the_admin_show_at_once(self):
        admin = factories.user("admin", is_superuser=True, is_staff=True)
        editor = Client()
        editor.force_login(admin)
        site = Site.objects.get(is_default_site=True)
        response = editor.post(
            f"/admin/settings/home/sitesettings/{site.pk}/",
            {
                "site_name": "生态山西网",
                "slogan": "美丽中国",
                "footer_text": "",
                "icp_number": "",
                "weibo_url": "",
                "qzone_url": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("生态山西网", self.read("/"))

    def test_republishing_the_home_page_changes_promoted_items(self):
        cover = factories.article(self.kepu, "带封面的科普文章", "2022-02-05 09:00", cover_image=factories.image())
        self.reader.get("/")
        factories.promote(factories.home_page(), cover)
        self.assertIn("带封面的科普文章", self.read(self.article.url))


@page_cache_on()
class WhoIsServedFromTheCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "缓存测试文章")
        cls.editor = factories.user("editor", is_superuser=True, is_staff=True)

    def setUp(self):
        fresh_caches()

    def test_anonymous_readers_are_served_from_the_cache(self):
        self.assertEqual(self.client.get(self.article.url).get("X-Page-Cache"), "miss")
        self.assertEqual(self.client.get(self.article.url).get("X-Page-Cache"), "hit")

    def test_logged_in_editors_are_never_served_or_stored(self):
        self.client.force_login(self.editor)
        for _ in range(2):
            response = self.client.get(self.article.url)
            self.assertIsNone(response.get("X-Page-Cache"))
        self.client.logout()
        self.assertEqual(Client().get(self.article.url).get("X-Page-Cache"), "miss")

    def test_an_editors_page_is_never_served_to_readers(self):
        self.client.force_login(self.editor)
        self.assertIn(b"wagtail-userbar", self.client.get(self.article.url).content.lower().replace(b"_", b"-"))
        self.assertNotIn(b"userbar", Client().get(self.article.url).content)

    def test_previews_are_never_cached(self):
        self.client.force_login(self.editor)
        response = self.client.get(f"/admin/pages/{self.article.pk}/edit/preview/")
        self.assertIsNone(response.get("X-Page-Cache"))

    def test_password_protected_pages_are_not_stored(self):
        PageViewRestriction.objects.create(
            page=self.article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        for _ in range(2):
            response = self.client.get(self.article.url)
            self.assertNotEqual(response.get("X-Page-Cache"), "hit")
            self.assertNotIn("缓存测试文章的正文", response.content.decode())

    def test_posts_and_query_strings_are_kept_apart(self):
        self.client.get(self.channel.url)
        self.assertEqual(self.client.get(self.channel.url + "?page=2").get("X-Page-Cache"), "miss")
        self.assertIsNone(self.client.post(self.channel.url).get("X-Page-Cache"))


class InvalidationThroughFragmentsTests(InvalidationTests):
    """The same changes read through URLs the page cache has never seen (a WeChat share link's ?from=…):
    such a page is put together from cached fragments, which must be just as fresh."""

    reads = 0

    def read(self, url):
        self.reads += 1
        joiner = "&" if "?" in url else "?"
        response = self.reader.get(f"{url}{joiner}from=timeline&r={self.reads}")
        self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)
        return response.content.decode()
