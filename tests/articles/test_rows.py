"""articles.rows: the reader pages' SQL gives the instances the ORM gives, field for field."""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import dateformat, timezone
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage
from articles.rows import article_in_channel, live_public_rows
from articles.services import LEAD_FIELDS, LISTED_FIELDS
from articles.templatetags.article_tags import time_element
from tests import factories


def field_values(instance, fields):
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}


class RowsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.other = factories.channel("科普", slug="kepu")
        cls.editor = get_user_model().objects.create_user("wangqiang", first_name="强", last_name="王")
        cls.cover = factories.image("封面")
        cls.older = factories.article(cls.channel, "较早的要闻", "2022-01-01 09:00", tags=["生态", "水"])
        cls.article = factories.article(
            cls.channel,
            "汾河治理见成效",
            "2022-03-01 09:30",
            tags=["水", "生态", "汾河"],
            related=[cls.older],
            cover_image=cls.cover,
            responsible_editor=cls.editor,
            summary="",
        )
        cls.draft = factories.article(cls.channel, "草稿", "2022-04-01 09:00", publish=False)
        cls.private = factories.article(cls.other, "需要密码的文章", "2022-05-01 09:00")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )

    def test_an_article_read_by_its_address_equals_the_orms_with_its_cover_editor_tags_and_links(self):
        found = article_in_channel(self.channel, self.article.slug)
        expected = ArticlePage.objects.select_related("cover_image", "responsible_editor").get(pk=self.article.pk)
        every_field = [field.name for field in ArticlePage._meta.concrete_fields]
        self.assertEqual(field_values(found, every_field), field_values(expected, every_field))
        self.assertEqual(list(found.body.raw_data), list(expected.body.raw_data))
        expected_tags = [tag.name for tag in expected.tag_list]
        with self.assertNumQueries(0):
            self.assertEqual(found.cover_image, self.cover)
            self.assertEqual(found.cover_image.file.name, self.cover.file.name)
            self.assertEqual(found.responsible_editor_name, "王强")
            self.assertEqual([tag.name for tag in found.tag_list], expected_tags)
            self.assertEqual(found.chosen_related_ids, [self.older.pk])

    def test_an_article_without_cover_or_editor_has_none(self):
        found = article_in_channel(self.channel, self.older.slug)
        with self.assertNumQueries(0):
            self.assertIsNone(found.cover_image)
            self.assertIsNone(found.responsible_editor)
            self.assertEqual(found.chosen_related_ids, [])

    def test_an_address_in_another_channel_or_unknown_finds_nothing(self):
        self.assertIsNone(article_in_channel(self.other, self.article.slug))
        self.assertIsNone(article_in_channel(self.channel, "no-such-article"))

    def test_lists_read_only_live_public_articles_with_the_listed_fields(self):
        rows = live_public_rows("1 = 1", [], LISTED_FIELDS, newest_first=True)
        expected = ArticlePage.objects.live_public().newest_first().only(*LISTED_FIELDS)
        self.assertEqual([row.pk for row in rows], [row.pk for row in expected])
        self.assertNotIn(self.draft.pk, [row.pk for row in rows])
        self.assertNotIn(self.private.pk, [row.pk for row in rows])
        for row, orm_row in zip(rows, expected, strict=True):
            self.assertEqual(field_values(row, LISTED_FIELDS), field_values(orm_row, LISTED_FIELDS))
            self.assertLessEqual(row.get_deferred_fields(), orm_row.get_deferred_fields())

    def test_the_lead_story_comes_with_its_cover_and_a_limit(self):
        rows = live_public_rows("1 = 1", [], LEAD_FIELDS, with_cover=True, newest_first=True, limit=2)
        self.assertEqual([row.title for row in rows], ["汾河治理见成效", "较早的要闻"])
        with self.assertNumQueries(0):
            self.assertEqual(rows[0].cover_image, self.cover)
            self.assertIsNone(rows[1].cover_image)
            self.assertTrue(rows[0].summary_text)  # the body's opening, read with the row


class TimeElementTests(TestCase):
    def test_dates_read_as_djangos_date_filter_writes_them(self):
        moments = [
            timezone.make_aware(datetime.datetime(2022, 3, 1, 9, 5, 7)),
            datetime.datetime(2021, 12, 31, 23, 59, 59, tzinfo=datetime.UTC),  # another day in Beijing
        ]
        for moment in moments:
            local = timezone.localtime(moment)
            for display in ("Y-m-d", "m-d", "Y-m-d H:i", "Y年m月d日", "n月j日", "100%"):
                with self.subTest(display=display):
                    self.assertEqual(
                        time_element(moment, display),
                        f'<time datetime="{local.isoformat()}">{dateformat.format(local, display)}</time>',
                    )
