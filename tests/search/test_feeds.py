"""RSS feeds, parsed with a real feed parser: exactly the live public articles, newest first, complete items."""

from datetime import timedelta
from io import StringIO

import feedparser
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.models import PageViewRestriction

from articles.feeds import FEED_LENGTH
from articles.models import ArticlePage, ChannelIndexPage
from tests import factories


def parse(response):
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.draft = ArticlePage.objects.get(slug="jiaquan-zhili")
        cls.draft.unpublish()
        cls.private = ArticlePage.objects.get(slug="juejin-lajidui")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )

    def live_public_titles(self, channel=None):
        articles = ArticlePage.objects.live().public()
        if channel is not None:
            articles = articles.child_of(channel)
        return list(articles.order_by("-date", "-pk").values_list("title", flat=True)[:FEED_LENGTH])

    def test_site_feed_lists_exactly_the_live_public_articles_newest_first(self):
        response = self.client.get("/rss/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/rss+xml", response["Content-Type"])
        feed = parse(response)
        self.assertEqual(feed.version, "rss20")
        titles = [entry.title for entry in feed.entries]
        self.assertEqual(titles, self.live_public_titles())
        self.assertNotIn(self.draft.title, titles)
        self.assertNotIn(self.private.title, titles)

    def test_items_have_link_guid_pubdate_in_shanghai_time_author_summary_and_content(self):
        feed = parse(self.client.get("/rss/"))
        article = ArticlePage.objects.get(slug="shouhu-lvshui-qingshan-dangjian-lianmeng")
        entry = next(entry for entry in feed.entries if entry.title == article.title)
        self.assertTrue(entry.link.endswith(article.url))
        self.assertTrue(entry.link.startswith("http"))
        self.assertEqual(entry.id, entry.link)
        self.assertIn(f'<guid isPermaLink="true">{entry.link}</guid>', self.client.get("/rss/").content.decode())
        self.assertIn("+0800", entry.published)
        self.assertEqual(entry.published_parsed[:5], article.date.utctimetuple()[:5])
        self.assertEqual(entry.author, "山西省自然资源厅网站")
        self.assertEqual(entry.summary, article.summary_text)
        content = entry.content[0].value
        self.assertIn(article.body[0].value.source.replace("<p>", "").replace("</p>", "")[:20], content)
        self.assertIn("党建联盟", [tag.term for tag in entry.tags])

    def test_content_links_are_absolute(self):
        feed = parse(self.client.get("/rss/"))
        for entry in feed.entries:
            content = entry.content[0].value
            self.assertNotIn('src="/', content)
            self.assertNotIn('href="/', content)

    def test_channel_feed_lists_only_that_channels_live_articles(self):
        channel = ChannelIndexPage.objects.get(slug="zixun")
        response = self.client.get(channel.url + "feed/")
        self.assertEqual(response.status_code, 200)
        feed = parse(response)
        self.assertEqual([entry.title for entry in feed.entries], self.live_public_titles(channel))
        self.assertNotIn(self.private.title, [entry.title for entry in feed.entries])
        self.assertIn("资讯", feed.feed.title)

    def test_browsers_recheck_the_feeds_within_a_minute(self):
        for url in ("/rss/", "/yaowen/feed/"):
            with self.subTest(url):
                cache_control = self.client.get(url)["Cache-Control"]
                self.assertIn("max-age=60", cache_control)

    def test_feed_is_capped_at_the_latest_twenty(self):
        channel = ChannelIndexPage.objects.get(slug="kepu")
        start = timezone.now()
        for number in range(FEED_LENGTH + 3):
            article = ArticlePage(
                title=f"新文章{number}", slug=f"new-{number}", date=start + timedelta(minutes=number)
            )
            factories.publish_unreviewed(article, parent=channel)
        feed = parse(self.client.get("/rss/"))
        self.assertEqual(len(feed.entries), FEED_LENGTH)
        self.assertEqual(feed.entries[0].title, f"新文章{FEED_LENGTH + 2}")


class DiscoveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_every_page_head_links_the_site_feed(self):
        pages = ["/", ChannelIndexPage.objects.get(slug="kepu").url, ArticlePage.objects.first().url, "/search/"]
        for url in pages:
            with self.subTest(url=url):
                self.assertContains(
                    self.client.get(url),
                    '<link rel="alternate" type="application/rss+xml" title="生态山西" href="/rss/">',
                )

    def test_channel_and_article_pages_link_the_channel_feed(self):
        channel = ChannelIndexPage.objects.get(slug="kepu")
        article = ArticlePage.objects.child_of(channel).first()
        for url in [channel.url, article.url]:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'href="{channel.url}feed/"')

    def test_sitemap_lists_live_public_pages(self):
        draft = ArticlePage.objects.get(slug="jiaquan-zhili")
        draft.unpublish()
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn(ArticlePage.objects.get(slug="huanghe-baohufa").full_url, content)
        self.assertNotIn("jiaquan-zhili", content)

    def test_robots_txt_points_to_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertIn("Sitemap: http://testserver/sitemap.xml", response.content.decode())
        self.assertIn("Disallow: /admin/", response.content.decode())

    def test_article_has_canonical_opengraph_and_newsarticle_jsonld(self):
        import json
        import re

        article = ArticlePage.objects.get(slug="shouhu-lvshui-qingshan-dangjian-lianmeng")
        content = self.client.get(article.url).content.decode()
        self.assertIn(f'<link rel="canonical" href="{article.full_url}">', content)
        self.assertIn('<meta property="og:type" content="article">', content)
        self.assertIn(f'<meta property="og:url" content="{article.full_url}">', content)
        self.assertRegex(content, r'<meta property="og:image" content="http://testserver/media/images/[^"]+">')
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
        data = json.loads(block)
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["headline"], article.title)
        self.assertEqual(data["datePublished"], "2021-11-10T09:30:00+08:00")
        self.assertEqual(data["articleSection"], "要闻")

    def test_jsonld_cannot_close_its_script_element(self):
        article = ArticlePage.objects.get(slug="huanghe-baohufa")
        article.title = "</script><script>alert(1)</script>"
        factories.publish_unreviewed(article)
        content = self.client.get(article.url).content.decode()
        self.assertNotIn("</script><script>alert(1)", content)
        self.assertIn("\\u003c/script\\u003e", content)
