"""No draft leaks: content that is not live and public never reaches an anonymous reader, on any public URL.

Every hidden article is tagged, dated and chosen (related news, 推荐位, 头条) so that it *would* show up
on each page if the filtering failed; public control articles prove each page does list articles.
"""

from datetime import timedelta

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Workflow

from articles.models import ArticlePage
from articles.publishing import publication_without_review
from newsroom.setup import REPORTERS, SINGLE_STAGE_WORKFLOW, setup_newsroom
from newsroom.withdrawal import withdraw
from tests import factories

TAG = "泄露检测"


def attachment_body(document, text):
    return factories.body(
        {"type": "paragraph", "value": f"<p>{text}</p>"},
        {"type": "attachment", "value": {"document": document.pk, "title": ""}},
    )


class DraftLeakTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.kepu = factories.channel("科普", slug="kepu")
        setup_newsroom(cls.home)
        cls.reporter = factories.user("leak-reporter")
        cls.reporter.groups.set(Group.objects.filter(name=REPORTERS))
        hidden_day = "2022-06-16 09:00"  # newer than every public article: a leak would top every list
        cls.hidden = {}  # name -> (article, strings that must never reach a reader)

        def hide(name, page, *extra):
            cls.hidden[name] = (page, [page.title, f"/{page.slug}/", *extra])

        cls.secret_cover = factories.image(title="泄露检测封面")
        cls.secret_document = factories.document(title="泄露检测附件", name="leak-secret-report.pdf")
        draft = factories.article(
            cls.kepu,
            "泄露检测从未发布的草稿",
            hidden_day,
            publish=False,
            slug="leak-draft",
            tags=[TAG],
            cover_image=cls.secret_cover,
            body=attachment_body(cls.secret_document, "草稿正文里的独家内容"),
        )
        hide("draft", draft, cls.stem(cls.secret_cover), "leak-secret-report", "草稿正文里的独家内容")
        hide(
            "unpublished",
            factories.unpublished_article(
                cls.kepu, title="泄露检测已撤稿的文章", date=hidden_day, slug="leak-unpublished", tags=[TAG]
            ),
        )

        withdrawn = factories.article(cls.kepu, "泄露检测撤稿的文章", hidden_day, slug="leak-withdrawn", tags=[TAG])
        withdraw(withdrawn, None, "泄露检测撤稿理由", reason_public=False)
        hide("withdrawn", ArticlePage.objects.get(pk=withdrawn.pk), "泄露检测撤稿理由")

        scheduled = factories.article(
            cls.kepu, "泄露检测定时发布的文章", hidden_day, publish=False, slug="leak-scheduled", tags=[TAG]
        )
        scheduled.go_live_at = timezone.now() + timedelta(days=2)
        with publication_without_review("测试数据"):
            scheduled.save_revision(approved_go_live_at=scheduled.go_live_at)
            scheduled.get_latest_revision().publish()
        hide("scheduled", ArticlePage.objects.get(pk=scheduled.pk))

        hide(
            "password",
            factories.private_article(
                cls.kepu, title="泄露检测密码保护的文章", date=hidden_day, slug="leak-password", tags=[TAG]
            ),
        )
        login_only = factories.article(cls.kepu, "泄露检测登录可见的文章", hidden_day, slug="leak-login", tags=[TAG])
        PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
        hide("login", login_only)
        group_only = factories.article(cls.kepu, "泄露检测编辑组可见的文章", hidden_day, slug="leak-group", tags=[TAG])
        restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.set(Group.objects.filter(name=REPORTERS))
        hide("groups", group_only)

        in_review = factories.article(
            cls.kepu, "泄露检测审核中的稿件", hidden_day, publish=False, slug="leak-review", tags=[TAG]
        )
        Workflow.objects.get(name=SINGLE_STAGE_WORKFLOW).start(in_review, cls.reporter)
        hide("in_review", ArticlePage.objects.get(pk=in_review.pk))

        # A private channel: its live articles are private too.
        cls.internal = factories.channel("内部通报", slug="leak-internal-channel", show_in_menus=False)
        PageViewRestriction.objects.create(page=cls.internal, restriction_type=PageViewRestriction.LOGIN)
        hide(
            "private_channel",
            factories.article(cls.internal, "泄露检测内部栏目的文章", hidden_day, slug="leak-in-internal", tags=[TAG]),
        )

        # Live articles with a newer revision that is scheduled or under review: only the live text is public.
        cls.live_scheduled = factories.article(cls.kepu, "泄露检测现行标题甲", "2022-03-01", slug="leak-live-a")
        cls.live_scheduled.title = "泄露检测定时替换的新标题"
        cls.live_scheduled.go_live_at = timezone.now() + timedelta(days=2)
        with publication_without_review("测试数据"):
            cls.live_scheduled.save_revision(approved_go_live_at=cls.live_scheduled.go_live_at).publish()
        cls.live_in_review = factories.article(cls.kepu, "泄露检测现行标题乙", "2022-03-02", slug="leak-live-b")
        cls.live_in_review.title = "泄露检测审核中的新标题"
        cls.live_in_review.save_revision()
        Workflow.objects.get(name=SINGLE_STAGE_WORKFLOW).start(cls.live_in_review, cls.reporter)
        cls.pending_titles = ["泄露检测定时替换的新标题", "泄露检测审核中的新标题"]

        hidden_pages = [page for page, _ in cls.hidden.values()]
        cls.older = factories.article(cls.kepu, "泄露检测较早的公开文章", "2022-06-01", slug="leak-older")
        cls.control = factories.article(
            cls.kepu,
            "泄露检测公开对照稿",
            "2022-06-15 09:00",
            slug="leak-control",
            tags=[TAG],
            related=hidden_pages,
            cover_image=factories.image(title="公开封面"),
        )
        cls.newer = factories.article(cls.kepu, "泄露检测较新的公开文章", "2022-06-20", slug="leak-newer")
        factories.promote(cls.home, *hidden_pages, cls.control)
        home = factories.home_page()
        home.lead_story = cls.hidden["password"][0]
        home.save_revision().publish()

    @staticmethod
    def stem(image):
        """What every address of the image and its renditions contains: images/test-<unique id>.

        A rendition file left on disk by an earlier, rolled-back test makes storage add a suffix
        (test-<id>_AbC1234.format-webp…), so no dot is required after the name.
        """
        return "images/" + image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def secrets(self):
        for name, (_, strings) in self.hidden.items():
            for text in strings:
                yield name, text
        for text in self.pending_titles:
            yield "pending revision", text

    def assert_no_secrets(self, url, response, controls=(), allowed=()):
        self.assertLess(response.status_code, 500, url)
        content = response.content.decode()
        for name, text in self.secrets():
            if text in allowed:
                continue
            self.assertFalse(text in content, f"{name} article leaks through {url}: {text!r}")
        for text in controls:
            self.assertTrue(
                text in content, f"{url} should list the public article {text!r}: the check proves nothing"
            )

    def test_hidden_articles_are_really_hidden(self):
        for name, (page, _) in self.hidden.items():
            with self.subTest(name):
                page = ArticlePage.objects.get(pk=page.pk)
                self.assertFalse(
                    ArticlePage.objects.live().public().filter(pk=page.pk).exists(),
                    f"{name} is live and public: the fixture is wrong",
                )

    def test_lists_feeds_search_and_sitemap_show_no_hidden_article(self):
        control = self.control.title
        pages = {
            "/": [control],
            "/kepu/": [control, self.older.title, self.newer.title],
            "/kepu/?page=1": [control],
            self.control.url: [control, self.older.title, self.newer.title, self.stem(self.control.cover_image)],
            "/search/?q=泄露检测": [self.control.url],
            "/search/?q=泄露检测&sort=date": [self.control.url],
            "/search/?q=泄露检测&channel=kepu": [self.control.url],
            "/search/?q=泄露检测&channel=leak-internal-channel": [],
            "/rss/": [control],
            "/kepu/feed/": [control],
            "/sitemap.xml": ["/kepu/leak-control/"],
        }
        for url, controls in pages.items():
            with self.subTest(url):
                self.assert_no_secrets(url, self.client.get(url), controls)

    def search_results(self, query):
        response = self.client.get("/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return " ".join(
            item.get_text() for item in BeautifulSoup(response.content, "html.parser").select(".article-list li")
        )

    def test_searching_for_each_hidden_title_finds_nothing_of_it(self):
        for name, (page, _) in self.hidden.items():
            with self.subTest(name):
                # The search index holds the article and the query matches it: only the filter can hide it.
                self.assertIn(page.pk, [found.pk for found in ArticlePage.objects.search(page.title)])
                self.assertNotIn(page.title, self.search_results(page.title))
        for title in self.pending_titles:
            with self.subTest(title):
                self.assertNotIn(title, self.search_results(title))
        self.assertIn(self.control.title, self.search_results(self.control.title))

    def test_prev_next_skip_hidden_neighbours(self):
        response = self.client.get(self.control.url)
        self.assertContains(response, f'href="{self.older.url}" rel="prev"')
        self.assertContains(response, f'href="{self.newer.url}" rel="next"')

    def test_live_articles_with_pending_revisions_show_their_live_text(self):
        for page, live_title in (
            (self.live_scheduled, "泄露检测现行标题甲"),
            (self.live_in_review, "泄露检测现行标题乙"),
        ):
            with self.subTest(live_title):
                response = self.client.get(page.url)
                self.assertContains(response, live_title)
                self.assert_no_secrets(page.url, response)

    def test_hidden_article_urls_show_nothing_of_them(self):
        for name, (page, _) in self.hidden.items():
            with self.subTest(name):
                url = ArticlePage.objects.get(pk=page.pk).url
                response = self.client.get(url)
                expected = {
                    "password": 200,  # the password form, nothing else
                    "login": 302,
                    "groups": 302,
                    "private_channel": 302,
                    "withdrawn": 410,  # 本文已撤稿, with neither its title nor its private reason
                }.get(name, 404)
                self.assertEqual(response.status_code, expected, url)
                # The page's own address may appear (the password form posts back to it, the login returns to it).
                own_address = [f"/{page.slug}/"]
                self.assert_no_secrets(url, response, allowed=own_address)
                if response.status_code == 302:
                    self.assertTrue(response["Location"].startswith("/admin/login/?next="), response["Location"])
                    followed = self.client.get(url, follow=True)
                    self.assert_no_secrets(url, followed, allowed=own_address)

    def test_password_form_does_not_reveal_the_article(self):
        page = self.hidden["password"][0]
        response = self.client.get(page.url)
        self.assertContains(response, 'name="password"')
        response = self.client.post(
            reverse("wagtailcore_authenticate_with_password", args=(page.get_view_restrictions().first().pk, page.pk)),
            {"password": "wrong", "return_url": page.url},
        )
        self.assertContains(response, 'name="password"')
        self.assert_no_secrets(page.url, response, allowed=[f"/{page.slug}/"])

    def test_admin_previews_of_hidden_articles_send_readers_to_log_in(self):
        for name, (page, _) in self.hidden.items():
            for url in (
                reverse("wagtailadmin_pages:view_draft", args=(page.pk,)),
                reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)),
                reverse("wagtailadmin_pages:revisions_view", args=(page.pk, page.latest_revision_id)),
            ):
                with self.subTest(name=name, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith("/admin/login/"), response["Location"])

    def test_hidden_cover_image_and_attachment_are_not_linked_anywhere(self):
        stem = self.stem(self.secret_cover)
        for url in ("/", "/kepu/", self.control.url, "/rss/", "/kepu/feed/", "/search/?q=泄露检测"):
            with self.subTest(url):
                content = self.client.get(url).content.decode()
                self.assertFalse(stem in content, f"the hidden cover is shown on {url}")
                self.assertFalse(self.secret_document.url in content, f"the hidden attachment is linked on {url}")


class PrivateDocumentTests(TestCase):
    """Documents are public by address unless their collection is restricted (Wagtail's document privacy)."""

    @classmethod
    def setUpTestData(cls):
        root = Collection.get_first_root_node()
        cls.embargoed = root.add_child(name="待发布附件")
        CollectionViewRestriction.objects.create(
            collection=cls.embargoed, restriction_type=CollectionViewRestriction.LOGIN
        )
        cls.private_doc = factories.document(title="未发布的报告", name="embargoed-report.pdf")
        cls.private_doc.collection = cls.embargoed
        cls.private_doc.save()
        cls.public_doc = factories.document(title="公开的报告", name="public-report.pdf")

    def test_document_in_a_restricted_collection_is_not_served_to_readers(self):
        response = self.client.get(self.private_doc.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(b"%PDF", b"".join(getattr(response, "streaming_content", [response.content])))

    def test_document_in_the_public_collection_is_served(self):
        response = self.client.get(self.public_doc.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"%PDF", b"".join(response.streaming_content))

    def test_document_address_needs_its_file_name(self):
        response = self.client.get(f"/documents/{self.public_doc.pk}/other-name.pdf")
        self.assertEqual(response.status_code, 404)
