"""The RSS feeds: /rss/ for the whole site and feed/ under each channel, with live public articles only."""

import feedparser
from django.test import TestCase

from tests import factories


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.zixun = factories.channel("资讯", slug="zixun")
        cls.reprint = factories.article(
            cls.yaowen,
            "中国将逐步推进甲烷排放控制工作",
            "2022-11-09 08:00",
            source_name="人民日报",
            summary="甲烷排放控制。",
        )
        cls.own = factories.article(
            cls.yaowen,
            "山西着力打造氢能产业高地",
            "2022-08-26 09:00",
            summary="",
            body=factories.paragraphs("氢能产业规划发布。"),
        )
        cls.brief = factories.article(cls.zixun, "“掘金”垃圾堆", "2022-10-18 09:00")
        factories.article(cls.yaowen, "草稿", "2022-12-01", publish=False)
        factories.unpublished_article(cls.yaowen, title="已撤稿", date="2022-12-02")
        factories.private_article(cls.zixun, title="加密稿件", date="2022-12-03")

    def parse(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        return feed

    def test_site_feed_has_exactly_the_live_public_articles_newest_first(self):
        feed = self.parse("/rss/")
        self.assertEqual(
            [entry.title for entry in feed.entries],
            ["中国将逐步推进甲烷排放控制工作", "“掘金”垃圾堆", "山西着力打造氢能产业高地"],
        )

    def test_site_feed_is_titled_with_the_site_name_and_slogan(self):
        feed = self.parse("/rss/")
        self.assertEqual(feed.feed.title, "生态山西")
        self.assertEqual(feed.feed.subtitle, "美丽中国,我们是行动者!")

    def test_channel_feed_has_exactly_the_channels_live_public_articles(self):
        feed = self.parse("/yaowen/feed/")
        self.assertEqual(feed.feed.title, "生态山西 - 要闻")
        self.assertEqual(
            [entry.title for entry in feed.entries], ["中国将逐步推进甲烷排放控制工作", "山西着力打造氢能产业高地"]
        )

    def test_other_channel_feed_leaves_out_private_articles(self):
        self.assertEqual([entry.title for entry in self.parse("/zixun/feed/").entries], ["“掘金”垃圾堆"])

    def test_feed_entries_link_to_the_article_with_summary_and_date(self):
        entries = {entry.title: entry for entry in self.parse("/rss/").entries}
        reprint = entries["中国将逐步推进甲烷排放控制工作"]
        self.assertTrue(reprint.link.endswith(self.reprint.url))
        self.assertTrue(reprint.link.startswith("http"))
        self.assertEqual(reprint.summary, "甲烷排放控制。")
        self.assertEqual(reprint.published_parsed[:3], (2022, 11, 9))
        self.assertEqual(entries["山西着力打造氢能产业高地"].summary, "氢能产业规划发布。")

    def test_unpublished_channel_feed_is_not_found(self):
        hidden = factories.channel("专题", slug="zhuanti")
        hidden.unpublish()
        self.assertEqual(self.client.get("/zhuanti/feed/").status_code, 404)
