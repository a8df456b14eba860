"""The 无障碍/适老化 toolbar is in every reader page, from our own files, under the strict script policy."""

from bs4 import BeautifulSoup
from django.test import TestCase

from tests import factories

TOOLBAR_BUTTONS = ["大字", "特大字", "高对比度", "阅读辅助线", "长者模式", "恢复默认"]


class AccessibilityToolbarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.home_page()
        cls.article = factories.article(factories.channel("要闻", slug="yaowen"), "汾河湿地迎来候鸟", "2022-11-01")

    def page(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response, BeautifulSoup(response.content, "html.parser")

    def test_toolbar_offers_each_mode_and_stays_hidden_until_its_script_runs(self):
        for url in ["/", self.article.url, "/search/?q=湿地"]:
            with self.subTest(url=url):
                response, soup = self.page(url)
                self.assertNotIn("{#", response.content.decode())  # a template comment leaking to readers
                toolbar = soup.select_one('[role="region"][aria-label="无障碍浏览"]')
                self.assertIsNotNone(toolbar)
                self.assertTrue(toolbar.has_attr("hidden"))
                self.assertEqual(
                    [button.get_text(strip=True) for button in toolbar.select('button[type="button"]')],
                    TOOLBAR_BUTTONS,
                )

    def test_skip_link_comes_before_the_toolbar_and_leads_to_focusable_main(self):
        _, soup = self.page(self.article.url)
        links_and_buttons = soup.body.select("a[href], button")
        self.assertEqual(links_and_buttons[0].get_text(), "跳到正文")
        self.assertEqual(links_and_buttons[0]["href"], "#main")
        self.assertEqual(soup.select_one("main#main")["tabindex"], "-1")

    def test_toolbar_runs_from_our_own_files_under_a_csp_without_inline_script(self):
        response, soup = self.page(self.article.url)
        head = soup.head
        self.assertTrue(head.select_one('script[src$="js/a11y-toolbar.js"]')["src"].startswith("/static/"))
        self.assertTrue(head.select_one('link[rel="stylesheet"][href$="css/a11y.css"]')["href"].startswith("/static/"))
        # Every script on the page is a file of ours or data (JSON-LD), never inline code.
        for script in soup.find_all("script"):
            self.assertTrue(script.has_attr("src") or script.get("type") == "application/ld+json", script)
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";")
        )
        self.assertIn("'self'", directives["script-src"].split())
        self.assertNotIn("'unsafe-inline'", directives["script-src"])
        self.assertNotIn("'unsafe-eval'", directives["script-src"])

    def test_reader_choice_needs_no_cookie(self):
        response, _ = self.page(self.article.url)
        self.assertEqual(list(response.cookies), [])
