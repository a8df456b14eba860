"""相关新闻: editor-chosen articles first, then articles sharing tags, then the channel's articles nearest in
date (contemporaneous news, newest first); ten at most."""

from bs4 import BeautifulSoup
from django.test import TestCase

from articles.services import RELATED_LIMIT
from tests import factories


class RelatedNewsTestCase(TestCase):
    def related_titles(self, page):
        """The headlines listed under 相关新闻 on the article's public page, top to bottom."""
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        soup = BeautifulSoup(response.content, "html.parser")
        section = soup.select_one("section.related")
        if section is None:
            return []
        return [item.get_text(strip=True) for item in section.select("li h3")]


class RelatedNewsOrderTests(RelatedNewsTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.zixun = factories.channel("资讯", slug="zixun")
        cls.kepu = factories.channel("科普", slug="kepu")
        # The channel's other news, newest last here.
        cls.channel_old = factories.article(cls.yaowen, "要闻旧稿", "2022-01-01")
        cls.channel_new = factories.article(cls.yaowen, "要闻新稿", "2022-03-01")
        # Other channels: these only appear through shared tags or an editor's choice.
        cls.one_tag = factories.article(cls.zixun, "共享一个标签", "2022-05-01", tags=["黄河"])
        cls.two_tags = factories.article(cls.kepu, "共享两个标签", "2022-02-01", tags=["黄河", "汾河"])
        cls.unrelated = factories.article(cls.kepu, "毫不相关", "2022-06-01", tags=["垃圾分类"])
        cls.chosen_first = factories.article(cls.zixun, "编辑首选", "2021-01-01")
        cls.chosen_second = factories.article(cls.kepu, "编辑次选", "2021-06-01")
        cls.article = factories.article(
            cls.yaowen,
            "主文章",
            "2021-11-10",
            tags=["黄河", "汾河"],
            related=[cls.chosen_first, cls.chosen_second],
        )

    def test_chosen_articles_come_first_in_the_editors_order_then_shared_tags_then_the_channel(self):
        self.assertEqual(
            self.related_titles(self.article),
            ["编辑首选", "编辑次选", "共享两个标签", "共享一个标签", "要闻新稿", "要闻旧稿"],
        )

    def test_article_never_lists_itself(self):
        self.assertNotIn("主文章", self.related_titles(self.article))

    def test_articles_of_other_channels_without_shared_tags_are_not_listed(self):
        self.assertNotIn("毫不相关", self.related_titles(self.article))

    def test_article_chosen_as_related_to_itself_is_not_listed(self):
        page = factories.article(self.yaowen, "自荐文章", "2022-04-01")
        page.related_links.create(related_page=page)
        factories.publish_unreviewed(page)
        self.assertNotIn("自荐文章", self.related_titles(page))

    def test_article_chosen_twice_is_listed_once(self):
        page = factories.article(self.kepu, "重复选择", "2020-01-01", related=[self.chosen_first, self.chosen_first])
        self.assertEqual(self.related_titles(page).count("编辑首选"), 1)

    def test_article_without_chosen_or_tags_lists_its_channels_news_of_the_time(self):
        page = factories.article(self.zixun, "资讯主文章", "2020-01-01")
        self.assertEqual(self.related_titles(page), ["共享一个标签", "编辑首选"])


class RelatedNewsLimitTests(RelatedNewsTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.chosen = [factories.article(cls.channel, f"选中{n:02d}", f"2020-01-{n:02d}") for n in range(1, 9)]
        cls.tagged = [
            factories.article(cls.channel, f"同标签{n:02d}", f"2021-01-{n:02d}", tags=["黄河"]) for n in (1, 2, 3)
        ]
        cls.latest = [factories.article(cls.channel, f"最新{n:02d}", f"2022-01-{n:02d}") for n in range(1, 6)]
        cls.article = factories.article(cls.channel, "主文章", "2019-01-01", tags=["黄河"], related=cls.chosen)

    def test_no_more_than_ten_related_articles_are_listed(self):
        titles = self.related_titles(self.article)
        self.assertEqual(RELATED_LIMIT, 10)
        self.assertEqual(len(titles), 10)
        self.assertEqual(titles, [f"选中{n:02d}" for n in range(1, 9)] + ["同标签03", "同标签02"])

    def test_twelve_chosen_articles_are_cut_to_the_first_ten(self):
        more = [factories.article(self.channel, f"加选{n:02d}", f"2018-01-{n:02d}") for n in range(1, 5)]
        page = factories.article(self.channel, "选太多的文章", "2017-01-01", related=self.chosen + more)
        self.assertEqual(self.related_titles(page), [f"选中{n:02d}" for n in range(1, 9)] + ["加选01", "加选02"])


class RelatedNewsOfTheTimeTests(RelatedNewsTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.earlier = [factories.article(cls.channel, f"年初{n}", f"2021-0{n}-01") for n in (1, 2, 3)]
        cls.later = [
            factories.article(cls.channel, f"下半年{month:02d}-{day:02d}", f"2021-{month:02d}-{day:02d}")
            for month in range(7, 13)
            for day in (1, 15)
        ]
        cls.latest = [factories.article(cls.channel, f"两年后{n}", f"2023-0{n}-01") for n in (1, 2, 3)]
        cls.article = factories.article(cls.channel, "年中的文章", "2021-06-15")

    def test_the_fill_is_the_channels_articles_nearest_in_date_newest_first(self):
        nearest_later = [f"下半年{month:02d}-{day:02d}" for month in range(7, 12) for day in (1, 15)]
        self.assertEqual(self.related_titles(self.article), nearest_later[::-1])

    def test_an_old_article_does_not_list_the_channels_latest_news(self):
        titles = self.related_titles(self.earlier[0])
        self.assertEqual(len(titles), 10)
        self.assertEqual(titles[-1], "年初2")  # its ten nearest later neighbours, newest first
        self.assertNotIn("两年后3", titles)


class RelatedNewsVisibilityTests(RelatedNewsTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.visible = factories.article(cls.channel, "已发布的稿件", "2022-01-01", tags=["黄河"])
        cls.draft = factories.article(cls.channel, "草稿", "2022-02-01", tags=["黄河"], publish=False)
        cls.unpublished = factories.unpublished_article(cls.channel, title="已撤稿", date="2022-03-01", tags=["黄河"])
        cls.private = factories.private_article(cls.channel, title="加密稿件", date="2022-04-01", tags=["黄河"])
        cls.article = factories.article(
            cls.channel,
            "主文章",
            "2021-01-01",
            tags=["黄河"],
            related=[cls.draft, cls.unpublished, cls.private, cls.visible],
        )

    def test_only_live_public_articles_are_listed_even_when_chosen(self):
        self.assertEqual(self.related_titles(self.article), ["已发布的稿件"])

    def test_chosen_draft_appears_once_it_is_published(self):
        factories.publish_unreviewed(self.draft)
        self.assertEqual(self.related_titles(self.article), ["草稿", "已发布的稿件"])

    def test_article_whose_only_neighbours_are_hidden_shows_no_related_section(self):
        other = factories.channel("科普", slug="kepu")
        factories.article(other, "科普草稿", "2022-01-01", publish=False)
        lonely = factories.article(other, "孤单的文章", "2021-01-01")
        response = self.client.get(lonely.url)
        self.assertNotContains(response, "相关新闻")
