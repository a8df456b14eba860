"""Fragments of reader pages are kept per content generation, for anonymous readers only."""

from django.test import Client, TestCase

from articles.models import ArticlePage
from tests import factories

from .helpers import fresh_caches, page_cache_on


@page_cache_on()
class FragmentCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护", "2022-02-01 09:00")
        cls.editor = factories.user("wangqiang", is_superuser=True, is_staff=True)

    def setUp(self):
        fresh_caches()
        self.reader = Client()
        self.reader.get(self.article.url)  # renders and keeps the fragments
        # A change that bypasses every signal: only a fresh render can show it.
        ArticlePage.objects.filter(pk=self.article.pk).update(title="绕过信号的标题")

    def test_a_new_query_string_is_served_from_the_fragments(self):
        response = self.reader.get(self.article.url + "?from=singlemessage&isappinstalled=0")
        self.assertEqual(response.get("X-Page-Cache"), "miss")
        self.assertContains(response, "<h1>汾河湿地保护</h1>", html=True)

    def test_a_logged_in_editor_always_gets_a_fresh_render(self):
        editor = Client()
        editor.force_login(self.editor)
        response = editor.get(self.article.url)
        self.assertContains(response, "<h1>绕过信号的标题</h1>", html=True)
        self.assertNotContains(response, "汾河湿地保护")

    def test_a_reader_with_a_session_gets_a_fresh_render(self):
        self.reader.cookies["sessionid"] = "not-a-session"
        response = self.reader.get(self.article.url + "?from=timeline")
        self.assertContains(response, "<h1>绕过信号的标题</h1>", html=True)
