"""Publishing an article makes the image renditions its pages show, so no reader waits for them."""

from django.test import TestCase
from wagtail.images import get_image_model

from tests import factories

Rendition = get_image_model().get_rendition_model()


class RenditionsOnPublishTests(TestCase):
    def test_reading_a_just_published_article_makes_no_rendition(self):
        channel = factories.channel("要闻", slug="yaowen")
        cover, photo = factories.image(size=(1300, 800)), factories.image(size=(1300, 900))
        body = factories.body(
            {"type": "image", "value": {"image": {"image": photo.pk, "alt_text": "湿地", "decorative": False}}}
        )
        with self.captureOnCommitCallbacks(execute=True):
            article = factories.article(channel, "有封面的文章", cover_image=cover, body=body)
            factories.promote(factories.home_page(), article)
        made = Rendition.objects.count()
        self.assertGreaterEqual(made, 6 + 4 + 1 + 6, "the cover's and the body image's renditions")

        for url in ["/", channel.url, article.url]:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(Rendition.objects.count(), made, "a template asked for a rendition publishing did not make")

    def test_a_draft_gets_no_renditions(self):
        channel = factories.channel("科普", slug="kepu")
        with self.captureOnCommitCallbacks(execute=True):
            factories.article(channel, "草稿", publish=False, cover_image=factories.image(size=(900, 600)))
        self.assertEqual(Rendition.objects.count(), 0)
