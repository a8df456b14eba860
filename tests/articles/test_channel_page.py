"""A channel page lists its live public articles, twenty a page, newest first; no page number breaks it."""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.test import TestCase

from articles.models import ARTICLES_PER_PAGE
from tests import factories


def listed_titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [item.a.get_text() for item in soup.select("ul.article-list li")]


class ChannelPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen", intro="<p>山西生态环境的重要新闻。</p>")
        start = factories.when("2022-01-01 09:00")
        # 25 articles, 第01篇 the oldest; created out of date order so the list must sort them.
        for n in [*range(13, 26), *range(1, 13)]:
            factories.article(cls.channel, f"第{n:02d}篇", start + timedelta(days=n))
        cls.newest_first = [f"第{n:02d}篇" for n in range(25, 0, -1)]

    def test_first_page_lists_twenty_newest_articles_first(self):
        response = self.client.get("/yaowen/")
        self.assertEqual(ARTICLES_PER_PAGE, 20)
        self.assertEqual(listed_titles(response), self.newest_first[:20])

    def test_second_page_lists_the_rest(self):
        self.assertEqual(listed_titles(self.client.get("/yaowen/?page=2")), self.newest_first[20:])

    def test_hidden_articles_take_no_place_on_any_page(self):
        factories.article(self.channel, "草稿", "2022-03-01 09:00", publish=False)
        factories.unpublished_article(self.channel, title="已撤稿", date="2022-03-02 09:00")
        factories.private_article(self.channel, title="加密稿件", date="2022-03-03 09:00")
        self.assertEqual(listed_titles(self.client.get("/yaowen/")), self.newest_first[:20])
        self.assertEqual(listed_titles(self.client.get("/yaowen/?page=2")), self.newest_first[20:])

    def test_pagination_shows_page_count_and_next_link(self):
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        nav = soup.select_one("nav.pagination")
        self.assertIn("第 1 / 2 页", " ".join(nav.get_text().split()))
        self.assertEqual(nav.select_one("a[rel=next]")["href"], "?page=2")
        self.assertIsNone(nav.select_one("a[rel=prev]"))

    def test_articles_show_their_dates(self):
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        self.assertEqual(soup.select_one("ul.article-list li time").get_text(), "2022-01-26")

    def test_channel_shows_its_title_and_intro(self):
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        self.assertEqual(soup.h1.get_text(), "要闻")
        self.assertEqual(soup.select_one(".intro").get_text(strip=True), "山西生态环境的重要新闻。")

    def test_bad_page_numbers_never_cause_an_error(self):
        expectations = {
            "abc": self.newest_first[:20],
            "0": self.newest_first[20:],
            "-1": self.newest_first[20:],
            "99999": self.newest_first[20:],
            "%00": self.newest_first[:20],
            "1.5": self.newest_first[:20],
            "": self.newest_first[:20],
        }
        for value, titles in expectations.items():
            with self.subTest(page=value):
                response = self.client.get(f"/yaowen/?page={value}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(listed_titles(response), titles)

    def test_channel_advertises_its_own_feed(self):
        soup = BeautifulSoup(self.client.get("/yaowen/").content, "html.parser")
        hrefs = [link["href"] for link in soup.find_all("link", rel="alternate", type="application/rss+xml")]
        self.assertIn("/yaowen/feed/", hrefs)


class ChannelVisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        other = factories.channel("资讯", slug="zixun")
        factories.article(cls.channel, "公开稿件", "2022-01-01")
        factories.article(cls.channel, "草稿", "2022-01-02", publish=False)
        factories.unpublished_article(cls.channel, title="已撤稿", date="2022-01-03")
        factories.private_article(cls.channel, title="加密稿件", date="2022-01-04")
        factories.article(other, "资讯稿件", "2022-01-05")

    def test_channel_lists_only_its_own_live_public_articles(self):
        self.assertEqual(listed_titles(self.client.get("/yaowen/")), ["公开稿件"])

    def test_single_page_shows_no_pagination(self):
        self.assertNotContains(self.client.get("/yaowen/"), 'class="pagination"')

    def test_empty_channel_says_it_has_no_articles(self):
        factories.channel("专题", slug="zhuanti")
        self.assertContains(self.client.get("/zhuanti/"), "本栏目暂无文章。")
