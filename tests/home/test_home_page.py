"""The front page: the lead story, each channel with its latest news, promoted items; and the 404 page."""

from bs4 import BeautifulSoup
from django.test import TestCase

from tests import factories


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        cls.zixun = factories.channel("资讯", slug="zixun")
        cls.older = factories.article(cls.yaowen, "要闻较早", "2022-10-01", summary="较早的要闻。")
        cls.newest = factories.article(cls.yaowen, "要闻最新", "2022-11-01", summary="最新要闻的摘要。")
        factories.article(cls.yaowen, "要闻草稿", "2022-12-01", publish=False)
        cls.explainer = factories.article(
            cls.kepu, "甲醛治理真的有用吗", "2022-10-20", cover_image=factories.image("甲醛")
        )
        cls.brief = factories.article(cls.zixun, "“掘金”垃圾堆", "2022-10-18", cover_image=factories.image("垃圾"))

    def get(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return soup_of(response)

    def channel_blocks(self, soup):
        return {
            block.h2.get_text(strip=True): [a.get_text() for a in block.select("ul.article-list li a")]
            for block in soup.select("section.channel-block")
        }

    def test_lead_story_is_the_latest_live_article_when_none_is_chosen(self):
        lead = self.get().select_one("section.lead-story")
        self.assertEqual(lead.h2.get_text(strip=True), "要闻最新")
        self.assertIn("最新要闻的摘要。", lead.get_text())
        self.assertEqual(lead.select_one("time").get_text(), "2022-11-01")

    def test_chosen_lead_story_is_shown_first(self):
        self.home.lead_story = self.older
        self.home.save_revision().publish()
        self.assertEqual(self.get().select_one("section.lead-story h2").get_text(strip=True), "要闻较早")

    def test_chosen_lead_story_that_was_unpublished_gives_way_to_the_latest(self):
        self.home.lead_story = self.older
        self.home.save_revision().publish()
        self.older.unpublish()
        self.assertEqual(self.get().select_one("section.lead-story h2").get_text(strip=True), "要闻最新")

    def test_each_channel_shows_its_latest_articles_without_the_lead_story(self):
        self.assertEqual(
            self.channel_blocks(self.get()),
            {"要闻": ["要闻较早"], "科普": ["甲醛治理真的有用吗"], "资讯": ["“掘金”垃圾堆"]},
        )

    def test_channel_blocks_link_to_more_of_the_channel(self):
        links = [a["href"] for a in self.get().select("section.channel-block a.more")]
        self.assertEqual(links, ["/yaowen/", "/kepu/", "/zixun/"])

    def test_promoted_items_default_to_each_channels_latest_with_a_cover(self):
        labels = [item.get_text(strip=True) for item in self.get().select("section.promoted li strong")]
        self.assertEqual(labels, ["【科普】甲醛治理真的有用吗", "【资讯】“掘金”垃圾堆"])

    def test_editors_promoted_items_replace_the_default_in_their_order(self):
        factories.promote(self.home, self.brief, self.older)
        labels = [item.get_text(strip=True) for item in self.get().select("section.promoted li strong")]
        self.assertEqual(labels, ["【资讯】“掘金”垃圾堆", "【要闻】要闻较早"])

    def test_header_shows_slogan_site_name_rss_and_channel_navigation(self):
        soup = self.get()
        self.assertEqual(soup.select_one(".slogan").get_text(), "美丽中国,我们是行动者!")
        self.assertEqual(soup.select_one(".brand-name").get_text(), "生态山西")
        self.assertEqual(soup.select_one(".utility-links a[type='application/rss+xml']")["href"], "/rss/")
        nav = [a.get_text() for a in soup.select("nav.channel-nav a")]
        self.assertEqual(nav, ["网站首页", "要闻", "科普", "资讯"])

    def test_window_title_is_the_slogan_with_the_site_name(self):
        self.assertEqual(self.get().title.get_text(), "美丽中国,我们是行动者! - 生态山西")


class NotFoundPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.channel("要闻", slug="yaowen")
        factories.channel("科普", slug="kepu")

    def test_missing_page_says_so_in_the_site_style_with_navigation(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        soup = soup_of(response)
        self.assertEqual(soup.h1.get_text(), "页面不存在")
        self.assertEqual([a.get_text() for a in soup.select("nav.channel-nav a")], ["网站首页", "要闻", "科普"])
        self.assertEqual(soup.select_one(".brand-name").get_text(), "生态山西")

    def test_draft_article_is_not_found_by_the_public(self):
        channel = factories.channel("资讯", slug="zixun")
        factories.article(channel, "草稿", publish=False, slug="caogao")
        response = self.client.get("/zixun/caogao/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "页面不存在", status_code=404)
