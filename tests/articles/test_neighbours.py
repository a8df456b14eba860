"""上一篇 / 下一篇: the older and newer live article of the same channel, by date then id."""

from bs4 import BeautifulSoup
from django.test import TestCase

from tests import factories


class NeighboursTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.zixun = factories.channel("资讯", slug="zixun")
        cls.first = factories.article(cls.yaowen, "第一篇", "2021-11-01 09:00")
        cls.same_time_a = factories.article(cls.yaowen, "同一时刻甲", "2021-11-05 09:00")
        cls.same_time_b = factories.article(cls.yaowen, "同一时刻乙", "2021-11-05 09:00")
        cls.draft = factories.article(cls.yaowen, "夹在中间的草稿", "2021-11-07 09:00", publish=False)
        cls.unpublished = factories.unpublished_article(cls.yaowen, title="已撤稿", date="2021-11-08 09:00")
        cls.private = factories.private_article(cls.yaowen, title="加密稿件", date="2021-11-09 09:00")
        cls.last = factories.article(cls.yaowen, "最后一篇", "2021-11-10 09:00")
        # Another channel's article dated in between must never be a neighbour.
        cls.other_channel = factories.article(cls.zixun, "资讯稿件", "2021-11-06 09:00")

    def neighbours_shown(self, page):
        """(上一篇 title, 下一篇 title) as the reader sees them, None where absent."""
        soup = BeautifulSoup(self.client.get(page.url).content, "html.parser")
        nav = soup.select_one("nav.prev-next")
        shown = {}
        for label, rel in (("上一篇", "prev"), ("下一篇", "next")):
            link = nav.select_one(f"a[rel={rel}]")
            if link is not None:
                self.assertEqual(link.parent.get_text(), f"{label}:{link.get_text()}")
            shown[label] = link.get_text() if link else None
        return shown["上一篇"], shown["下一篇"]

    def test_next_is_the_newer_and_previous_the_older_article(self):
        self.assertEqual(self.neighbours_shown(self.same_time_a), ("第一篇", "同一时刻乙"))

    def test_articles_with_the_same_date_are_ordered_by_id(self):
        self.assertEqual(self.neighbours_shown(self.same_time_b), ("同一时刻甲", "最后一篇"))

    def test_first_article_has_no_previous(self):
        self.assertEqual(self.neighbours_shown(self.first), (None, "同一时刻甲"))

    def test_latest_article_has_no_next_and_skips_drafts_unpublished_and_private_articles(self):
        self.assertEqual(self.neighbours_shown(self.last), ("同一时刻乙", None))

    def test_neighbours_never_cross_channels(self):
        self.assertEqual(self.neighbours_shown(self.other_channel), (None, None))

    def test_next_link_points_to_the_next_article(self):
        soup = BeautifulSoup(self.client.get(self.first.url).content, "html.parser")
        self.assertEqual(soup.select_one("nav.prev-next a[rel=next]")["href"], self.same_time_a.url)
