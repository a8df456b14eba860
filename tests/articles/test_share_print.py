"""Sharing an article (WeChat QR code drawn on our side, Weibo, the Open Graph fields WeChat and Weibo read)
and printing it (a print stylesheet, the article's address on paper)."""

import re
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import segno
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.test import TestCase

from articles.templatetags import share_tags
from tests import factories

QR_BORDER = 4  # segno's quiet zone, in modules


def dark_modules(svg):
    """The (row, column) of every dark module drawn by segno's SVG path (moves and horizontal runs)."""
    path = svg.find("path", attrs={"stroke": "#000"})
    x = y = 0.0
    dark = set()
    for command, numbers in re.findall(r"([MmHh])([^MmHh]*)", path["d"]):
        values = [float(number) for number in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            run = values[0] if command == "h" else values[0] - x
            dark.update((int(y) - QR_BORDER, int(x) + step - QR_BORDER) for step in range(int(run)))
            x += run
    return dark


class WeChatShareTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(
            cls.channel,
            "“守护绿水青山”党建联盟正式成立",
            summary="山西省自然资源厅、省水利厅和省林业和草原局共同签署共建协议。",
            cover_image=factories.image("联盟成立"),
        )

    def setUp(self):
        response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 200)
        self.html = response.content.decode()
        self.soup = BeautifulSoup(self.html, "html.parser")
        self.canonical = self.soup.select_one('link[rel="canonical"]')["href"]

    def test_wechat_share_opens_a_qr_code_of_the_article_address_without_script(self):
        wechat = self.soup.select_one(".share details.share-wechat")

        self.assertEqual(wechat.summary.get_text(strip=True), "微信")
        self.assertIsNotNone(wechat.select_one("svg.share-qr[role=img]"))
        self.assertEqual(wechat.select_one(".share-url").get_text(strip=True), self.canonical)
        self.assertIn("扫一扫", wechat.get_text())
        self.assertIsNone(self.soup.select_one("body script:not([type='application/ld+json'])"))

    def test_qr_code_drawn_on_the_page_is_segnos_code_for_the_article_address(self):
        svg = self.soup.select_one("svg.share-qr")
        expected = segno.make(self.canonical, error="m", micro=False)

        drawn = dark_modules(svg)

        wanted = {(row, col) for row, line in enumerate(expected.matrix) for col, bit in enumerate(line) if bit}
        self.assertEqual(drawn, wanted)

    def test_qr_code_needs_no_outside_host(self):
        svg = self.soup.select_one("svg.share-qr")

        self.assertIsNone(svg.find(["image", "use", "a"]))
        self.assertNotIn("http", str(svg))

    def test_weibo_share_carries_the_article_address_and_title(self):
        link = self.soup.select_one("a.share-weibo")

        query = parse_qs(urlsplit(link["href"]).query)

        self.assertEqual(query["url"], [self.canonical])
        self.assertEqual(query["title"], [self.article.title])

    def test_open_graph_gives_wechat_and_weibo_title_description_absolute_image_and_address(self):
        og = {tag["property"]: tag["content"] for tag in self.soup.select("meta[property^='og:']")}

        self.assertEqual(og["og:title"], self.article.title)
        self.assertEqual(og["og:description"], "山西省自然资源厅、省水利厅和省林业和草原局共同签署共建协议。")
        self.assertEqual(og["og:url"], self.canonical)
        self.assertRegex(og["og:image"], r"^https?://[^/]+/media/images/")

    def test_each_article_address_is_encoded_once_per_process(self):
        other = factories.article(self.channel, "汾河湿地保护")
        share_tags.qr_svg.cache_clear()

        with mock.patch.object(share_tags.segno, "make", wraps=segno.make) as make:
            for _ in range(3):
                self.assertEqual(self.client.get(self.article.url).status_code, 200)
                self.assertEqual(self.client.get(other.url).status_code, 200)

        self.assertEqual(make.call_count, 2)


class PrintViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.article = factories.article(cls.channel, "汾河湿地保护", source_name="山西日报")

    def setUp(self):
        self.soup = BeautifulSoup(self.client.get(self.article.url).content, "html.parser")

    def test_pages_link_the_print_stylesheet_for_print_only(self):
        link = self.soup.find("link", href=re.compile(r"css/print(\.\w+)?\.css$"))

        self.assertEqual(link["media"], "print")
        self.assertIsNotNone(finders.find("css/print.css"))

    def test_printout_carries_the_article_address_hidden_on_screen(self):
        canonical = self.soup.select_one('link[rel="canonical"]')["href"]

        line = self.soup.select_one("p.print-url")

        self.assertTrue(line.has_attr("hidden"))
        self.assertEqual(line.get_text(), f"本文网址:{canonical}")

    def test_print_stylesheet_leaves_out_navigation_sharing_lists_and_footer(self):
        css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
        hidden_rule = re.search(r"([^{}]*)\{\s*display:\s*none", css).group(1)
        hidden = {selector.strip() for selector in hidden_rule.split(",")}

        for selector in [".site-header", ".channel-nav", ".share", ".sidebar", ".prev-next", ".site-footer"]:
            self.assertIn(selector, hidden)
        for kept in [".article-meta", ".responsible-editor", ".article-body"]:
            self.assertNotIn(kept, hidden)
        self.assertRegex(css, r"\.print-url\[hidden\]\s*\{\s*display:\s*block")
