"""The gunicorn worker's warm-up (config/gunicorn.py): what it asks for, and that a worker starts whatever it meets."""

import logging
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError
from django.test import TestCase, override_settings
from wagtail.models import Site

from articles.models import ArticlePage
from config import gunicorn
from tests import factories
from tests.pagecache.helpers import page_cache_on, warm_up_worker


class WarmUpHostTests(TestCase):
    def test_the_default_sites_host_when_django_accepts_it(self):
        Site.objects.filter(is_default_site=True).update(hostname="news.example.cn")
        with override_settings(ALLOWED_HOSTS=["admin.example.cn", "news.example.cn"]):
            self.assertEqual(gunicorn.warm_up_host(), "news.example.cn")

    def test_else_the_first_allowed_host(self):
        with override_settings(ALLOWED_HOSTS=[".example.cn", "news.example.cn"]):
            self.assertEqual(gunicorn.warm_up_host(), "example.cn")

    def test_none_when_only_a_wildcard_is_allowed_and_the_site_has_no_name(self):
        Site.objects.filter(is_default_site=True).update(hostname="")
        with override_settings(ALLOWED_HOSTS=["*"]):
            self.assertIsNone(gunicorn.warm_up_host())


@page_cache_on()
class WarmUpTests(TestCase):
    def test_the_warm_up_reads_every_page_type_at_once(self):
        channel = factories.channel("要闻", slug="yaowen")
        article = factories.article(channel, "预热后的第一篇")
        ContentType.objects.clear_cache()
        self.assertEqual(warm_up_worker(), 200)
        with self.assertNumQueries(0):
            ContentType.objects.get_for_id(ContentType.objects.get_for_model(ArticlePage).pk)
        response = self.client.get(article.url)
        self.assertContains(response, "预热后的第一篇")


class PostWorkerInitTests(TestCase):
    def worker(self, wsgi):
        return SimpleNamespace(wsgi=wsgi, log=logging.getLogger("gunicorn.error"))

    def test_a_failing_warm_up_is_logged_and_the_worker_starts(self):
        def database_down(environ, start_response):
            raise OperationalError("connection refused")

        with self.assertLogs("gunicorn.error", "ERROR") as logs:
            gunicorn.post_worker_init(self.worker(database_down))
        self.assertIn("warm-up failed", logs.output[0])
