"""Where each page type may live in the tree, and that each can be rendered, edited and previewed."""

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from articles.models import ArticlePage, ChannelIndexPage
from home.models import HomePage
from tests import factories


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_can_only_be_created_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(ChannelIndexPage, HomePage)
        self.assertCanNotCreateAt(ArticlePage, HomePage)

    def test_a_second_home_page_cannot_be_created(self):
        root = Page.get_first_root_node()
        self.assertEqual(HomePage.objects.count(), 1)
        self.assertFalse(HomePage.can_create_at(root))

    def test_admin_refuses_to_add_a_second_home_page(self):
        self.login()
        root = Page.get_first_root_node()
        response = self.client.get(reverse("wagtailadmin_pages:add", args=("home", "homepage", root.pk)))
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(HomePage.objects.count(), 1)

    def test_home_page_holds_only_channels(self):
        self.assertAllowedSubpageTypes(HomePage, {ChannelIndexPage})
        self.assertCanCreateAt(HomePage, ChannelIndexPage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)

    def test_channel_can_only_be_created_under_the_home_page(self):
        self.assertAllowedParentPageTypes(ChannelIndexPage, {HomePage})
        self.assertCanNotCreateAt(Page, ChannelIndexPage)
        self.assertCanNotCreateAt(ChannelIndexPage, ChannelIndexPage)
        self.assertCanNotCreateAt(ArticlePage, ChannelIndexPage)

    def test_channel_holds_only_articles(self):
        self.assertAllowedSubpageTypes(ChannelIndexPage, {ArticlePage})

    def test_article_can_only_be_created_under_a_channel(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ChannelIndexPage})
        self.assertCanCreateAt(ChannelIndexPage, ArticlePage)
        self.assertCanNotCreateAt(Page, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)

    def test_article_has_no_children(self):
        self.assertAllowedSubpageTypes(ArticlePage, set())


def article_form_data(test, article, **changes):
    """The article's edit form as the admin shows it, with the body filled in as the block editor would post it.

    The body editor is drawn by JavaScript, so its fields are not in the HTML and are added here.
    """
    test.client.force_login(test.admin)
    html = test.client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,))).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>正文第一段。</p>"))])}))
    for name, value in changes.items():
        data[name] = value
    test.client.logout()
    return data


class PageTypesWorkTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = factories.home_page()
        cls.channel = factories.channel("要闻", slug="yaowen")
        cls.editor = factories.user("wangqiang", first_name="王强")
        cls.admin = factories.user("admin", is_superuser=True, is_staff=True)
        cls.article = factories.article(
            cls.channel,
            "黄河流域生态保护座谈会召开",
            tags=["黄河"],
            source_name="人民日报",
            original_title="黄河流域生态保护座谈会召开",
            original_author="人民日报记者",
            responsible_editor=cls.editor,
            cover_image=factories.image("封面"),
        )

    def test_home_page_renders(self):
        self.assertPageIsRenderable(self.home)

    def test_channel_page_renders(self):
        self.assertPageIsRenderable(self.channel)

    def test_channel_feed_route_renders(self):
        self.assertPageIsRenderable(self.channel, route_path="feed/")

    def test_article_page_renders(self):
        self.assertPageIsRenderable(self.article)

    def test_home_page_is_editable(self):
        self.assertPageIsEditable(self.home)

    def test_channel_page_is_editable(self):
        self.assertPageIsEditable(self.channel)

    def test_article_page_is_editable(self):
        self.assertPageIsEditable(
            self.article, post_data=article_form_data(self, self.article, **{"action-publish": "action-publish"})
        )

    def test_home_page_is_previewable(self):
        self.assertPageIsPreviewable(self.home)

    def test_channel_page_is_previewable(self):
        self.assertPageIsPreviewable(self.channel)

    def test_article_page_is_previewable(self):
        self.assertPageIsPreviewable(self.article, post_data=article_form_data(self, self.article))

    def test_an_article_edited_in_the_admin_reaches_readers_once_its_review_approves_it(self):
        data = article_form_data(
            self, self.article, title="黄河流域生态保护座谈会召开（更新）", **{"action-submit": "action-submit"}
        )
        self.client.force_login(self.admin)
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=(self.article.pk,)), data)
        self.assertEqual(response.status_code, 302)
        task_state = ArticlePage.objects.get(pk=self.article.pk).current_workflow_task_state
        approve = reverse("wagtailadmin_pages:workflow_action", args=(self.article.pk, "approve", task_state.pk))
        self.assertEqual(self.client.post(approve, {"comment": ""}).status_code, 302)
        updated = "<h1>黄河流域生态保护座谈会召开（更新）</h1>"
        self.assertContains(self.client.get(self.article.url), updated, html=True)
