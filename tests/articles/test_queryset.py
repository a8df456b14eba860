"""ArticlePage.objects: the live public articles, a channel's, newest first, as every public list asks."""

from django.test import TestCase
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage
from tests import factories


class ArticlePageQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.yaowen = factories.channel("要闻", slug="yaowen")
        cls.kepu = factories.channel("科普", slug="kepu")
        cls.older = factories.article(cls.yaowen, "较早的要闻", "2022-01-01 09:00")
        cls.newer = factories.article(cls.yaowen, "较新的要闻", "2022-03-01 09:00")
        cls.same_day = factories.article(cls.yaowen, "同一天的要闻", "2022-03-01 09:00")
        cls.science = factories.article(cls.kepu, "科普文章", "2022-02-01 09:00")
        cls.draft = factories.article(cls.yaowen, "草稿", "2022-04-01 09:00", publish=False)
        cls.private = factories.article(cls.kepu, "需要密码的文章", "2022-05-01 09:00")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )

    def titles(self, queryset):
        return list(queryset.values_list("title", flat=True))

    def test_readers_see_live_articles_outside_restricted_pages_newest_first(self):
        self.assertEqual(
            self.titles(ArticlePage.objects.live_public().newest_first()),
            ["同一天的要闻", "较新的要闻", "科普文章", "较早的要闻"],
        )

    def test_a_channels_articles_are_its_own(self):
        self.assertEqual(
            self.titles(ArticlePage.objects.live_public().in_channel(self.yaowen).newest_first()),
            ["同一天的要闻", "较新的要闻", "较早的要闻"],
        )
