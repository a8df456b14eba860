"""Cross-site scripting: payloads typed into every field, imported or searched for are escaped wherever shown.

Each rendered page is parsed (BeautifulSoup) and must hold no ``<script>`` of its own, no ``on…=``
handler, no ``javascript:`` link and no ``<img src=x>``/``<svg>``/``<iframe>`` from the payloads; the
payload text itself must still be there, as text, so the check cannot pass on an empty page.
"""

import json
import tempfile
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from wagtail.test.utils.form_data import streamfield

from articles.models import ArticlePage
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, form_errors
from tests.security.markup import COMBINED, PAYLOADS, injected_markup

# What the rich text editor (Draftail) posts for a paragraph: the payload typed as text, and a link whose
# address is a script.
EDITOR_PARAGRAPH = json.dumps(
    {
        "blocks": [
            {
                "key": "xss01",
                "type": "unstyled",
                "depth": 0,
                "text": "正文链接" + "".join(PAYLOADS),
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 2, "length": 2, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}},
    }
)

SHORT = '"><img src=x onerror=alert(1)>'  # fits the 100-character fields
CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}"


def payload_body(image, document):
    return factories.body(
        {"type": "paragraph", "value": "<p>" + "".join(f"{p.replace('<', '&lt;')}" for p in PAYLOADS) + "</p>"},
        {"type": "heading", "value": {"text": SHORT + "<script>alert(1)</script>"[:80], "size": "h2"}},
        {"type": "quote", "value": {"text": COMBINED, "attribution": SHORT}},
        {
            "type": "image",
            "value": {
                "image": {"image": image.pk, "decorative": False, "alt_text": SHORT},
                "caption": COMBINED[:300],
                "credit": SHORT,
            },
        },
        {
            "type": "table",
            "value": {
                "table": {
                    "data": [[PAYLOADS[0], PAYLOADS[1]], [PAYLOADS[2], "普通单元格"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "",
                },
                "caption": SHORT,
            },
        },
        {"type": "attachment", "value": {"document": document.pk, "title": SHORT}},
    )


class RenderedPayloadTests(TestCase):
    """Payloads stored in every field of a published article, as an editor could type them in the admin."""

    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.kepu = factories.channel("科普", slug="kepu")
        cover = factories.image(title=SHORT)
        cover.description = SHORT
        cover.save()
        document = factories.document(title=SHORT, name="report.pdf")
        cls.article = factories.article(
            cls.kepu,
            COMBINED[:255],
            "2022-05-02",
            slug="payload",
            subtitle=COMBINED[:255],
            source_name=SHORT,
            original_author=SHORT,
            byline=SHORT,
            editor_name=SHORT,
            summary=COMBINED,
            seo_title=COMBINED[:255],
            search_description=COMBINED,
            cover_image=cover,
            cover_alt=SHORT,
            tags=[SHORT, "<script>alert(1)</script>"],
            body=payload_body(cover, document),
        )
        cls.older = factories.article(cls.kepu, "较早的文章", "2022-05-01", slug="older", related=[cls.article])
        cls.newer = factories.article(cls.kepu, "较新的文章", "2022-05-03", slug="newer", tags=[SHORT])
        factories.promote(cls.home, cls.article)

    def assert_clean(self, url, html, must_show="alert(1)"):
        problems = injected_markup(html)
        self.assertEqual(problems, [], f"markup injected on {url}")
        text = BeautifulSoup(html, "html.parser").get_text()
        self.assertIn(must_show, text, f"{url} does not show the payload as text: the check proves nothing")

    def test_public_pages_escape_every_field(self):
        urls = [
            "/",
            "/kepu/",
            self.article.url,
            self.older.url,  # payload article as related news and 下一篇
            self.newer.url,  # as 上一篇, related by tag
            "/search/?q=新闻",
            "/search/?q=新闻&sort=date",
        ]
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_clean(url, response.content.decode())

    def test_article_page_shows_each_field_as_text(self):
        html = self.client.get(self.article.url).content.decode()
        soup = BeautifulSoup(html, "html.parser")
        self.assertEqual(soup.h1.get_text(), COMBINED[:255])
        self.assertEqual(soup.select_one(".subtitle").get_text(), COMBINED[:255])
        self.assertEqual(soup.select_one(".block-heading").get_text(), (SHORT + "<script>alert(1)</script>")[:80])
        self.assertIn(SHORT, soup.select_one(".block-quote figcaption").get_text())
        self.assertEqual(soup.select_one(".cover img")["alt"], SHORT)
        self.assertEqual(soup.select_one(".block-image img")["alt"], SHORT)
        self.assertIn(PAYLOADS[0], soup.select_one(".block-table").get_text())
        self.assertIn(SHORT, soup.select_one(".block-attachment").get_text())
        self.assertIn(SHORT, soup.select_one(".tags").get_text())
        jsonld = json.loads(soup.find("script", type="application/ld+json").string)
        self.assertEqual(jsonld["headline"], COMBINED[:255])
        self.assertEqual(soup.find("meta", property="og:title")["content"], COMBINED[:255])

    def test_search_query_is_escaped(self):
        for payload in (*PAYLOADS, COMBINED):
            with self.subTest(payload):
                response = self.client.get("/search/", {"q": payload, "channel": payload, "sort": payload})
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertEqual(injected_markup(html), [])
                field = BeautifulSoup(html, "html.parser").find("input", id="search-q")
                self.assertEqual(field["value"], " ".join(payload.split())[:100])

    def test_feeds_carry_payloads_as_text(self):
        for url in ("/rss/", "/kepu/feed/"):
            with self.subTest(url):
                response = self.client.get(url)
                root = ET.fromstring(response.content)  # well-formed: nothing broke out of an element
                items = {item.findtext("link"): item for item in root.iter("item")}
                item = items[f"http://testserver{self.article.url}"]
                self.assertEqual(item.findtext("title"), COMBINED[:255])
                self.assertIn(SHORT, [category.text for category in item.findall("category")])
                # RSS <description> and <content:encoded> hold HTML: once decoded from XML they must be safe.
                for name in ("description", f"{CONTENT_NS}encoded"):
                    html = item.findtext(name)
                    self.assertTrue(html, name)
                    self.assertEqual(injected_markup(html), [], f"{url} {name}")
                    self.assertIn("onerror=alert(1)", BeautifulSoup(html, "html.parser").get_text())


class AdminAndEmailPayloadTests(NewsroomTestCase):
    """A reporter's payload in the admin: the reviewer's dashboard, the page listing and the workflow email."""

    def test_submitted_payload_is_escaped_for_the_reviewer_and_plain_in_email(self):
        response, page = self.create(
            self.reporter,
            self.kepu,
            editor=self.editor,
            title=COMBINED[:255],
            summary=COMBINED,
            source_name=SHORT,
            original_title=SHORT,
            original_author=SHORT[:100],
            body=streamfield([("paragraph", EDITOR_PARAGRAPH)]),
        )
        self.assertEqual(response.status_code, 302, form_errors(response))
        message = next(m for m in mail.outbox if self.editor.email in m.to)
        self.assertEqual(message.content_subtype, "plain")
        self.assertEqual(getattr(message, "alternatives", []), [])
        self.assertIn(f"《{COMBINED[:255]}》", message.body)  # as typed: plain text is not HTML-escaped
        self.assertNotIn("\n", message.subject)

        client = self.as_user(self.editor)
        for url in ("/admin/", f"/admin/pages/{self.kepu.pk}/", self.edit_url(page)):
            with self.subTest(url):
                response = client.get(url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertEqual(injected_markup(html, allow_inline_scripts=True), [])
                self.assertIn("onerror=alert(1)", BeautifulSoup(html, "html.parser").get_text(), url)

        self.workflow_action(self.editor, page, "approve")
        page = ArticlePage.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.client.logout()
        html = self.client.get(page.url).content.decode()
        self.assertEqual(injected_markup(html), [])
        body_text = BeautifulSoup(html, "html.parser").select_one(".article-body").get_text()
        self.assertIn("正文链接<script>alert(1)</script>", body_text)

    def test_rich_text_from_the_editor_drops_script_and_javascript_links(self):
        body = streamfield([("paragraph", EDITOR_PARAGRAPH)])
        response, page = self.create(self.chief, self.kepu, action="action-save-draft", editor=self.editor, body=body)
        self.assertEqual(response.status_code, 302, form_errors(response))
        stored = json.dumps(list(ArticlePage.objects.get(pk=page.pk).body.raw_data), ensure_ascii=False)
        self.assertIn("正文", stored)
        self.assertIn("&lt;script&gt;", stored)  # the typed payload, kept as text
        self.assertIn("<a>链接</a>", stored)  # the script address is dropped, the link text kept
        for fragment in ("<script", 'href=\\"javascript', "<img", "<svg", "<iframe"):
            self.assertNotIn(fragment, stored)


class ImportedPayloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.kepu = factories.channel("科普", slug="kepu")

    def import_rows(self, *rows):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "archive.jsonl"
            path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
            out, err = StringIO(), StringIO()
            call_command("import_articles", str(path), stdout=out, stderr=err)
        return out.getvalue() + err.getvalue()

    def test_imported_payloads_are_escaped_on_every_page(self):
        self.import_rows(
            {
                "id": "xss-1",
                "channel": "kepu",
                "date": "2020-01-02 08:00",
                "title": COMBINED[:255],
                "subtitle": COMBINED[:255],
                "source": SHORT,
                "author": SHORT,
                "editor": SHORT,
                "summary": COMBINED,
                "body": '<p>导入的正文<a href="javascript:alert(1)">链接</a></p><script>alert(1)</script>'
                "<p><img src=x onerror=alert(1)></p><div onmouseover=alert(1)>悬停</div>",
                "tags": [SHORT, "<script>alert(1)</script>"],
            },
            {
                "id": "xss-2",
                "channel": "kepu",
                "date": "2020-01-03 08:00",
                "title": "纯文本正文里的标记",
                "body": '第一段 <script>alert(1)</script>\n\n第二段 "><img src=x onerror=alert(1)>',
            },
        )
        imported = ArticlePage.objects.get(legacy_id="xss-1")
        plain = ArticlePage.objects.get(legacy_id="xss-2")
        for url in ("/", "/kepu/", imported.url, plain.url, "/search/?q=新闻", "/rss/", "/kepu/feed/"):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                if url.endswith("feed/") or url == "/rss/":
                    for item in ET.fromstring(response.content).iter("item"):
                        for name in ("description", f"{CONTENT_NS}encoded"):
                            self.assertEqual(injected_markup(item.findtext(name) or ""), [], f"{url} {name}")
                else:
                    self.assertEqual(injected_markup(response.content.decode()), [])
        article_text = BeautifulSoup(self.client.get(plain.url).content, "html.parser").get_text()
        self.assertIn("<script>alert(1)</script>", article_text)  # the old plain text, shown as text

    def test_imported_javascript_source_url_is_refused(self):
        output = self.import_rows(
            {
                "id": "xss-3",
                "channel": "kepu",
                "date": "2020-01-04",
                "title": "来源地址是脚本",
                "source_url": "javascript:alert(1)",
            }
        )
        self.assertFalse(ArticlePage.objects.filter(legacy_id="xss-3").exists())
        self.assertIn("来源网址无效", output)
