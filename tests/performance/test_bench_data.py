"""The benchmark's generated archive (bench/generate.py) keeps up with the models: what `make bench` reads."""

from contextlib import redirect_stderr
from io import StringIO

from django.test import TestCase

from articles.models import ArticlePage
from bench.generate import generate


class GeneratedArchiveTests(TestCase):
    def test_generated_articles_are_live_tagged_and_readable(self):
        with redirect_stderr(StringIO()):
            generate(30)
        articles = ArticlePage.objects.live()
        self.assertEqual(articles.count(), 30)
        article = articles.filter(related_links__isnull=False).first() or articles.first()
        self.assertTrue(article.tags.exists())
        response = self.client.get(article.url)
        self.assertContains(response, article.title)
        self.assertEqual(self.client.get(article.get_parent().url).status_code, 200)
