"""The page chooser's search results: the same markup as Wagtail's templates draw, row for row."""

from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.views import chooser as wagtail_chooser
from wagtail.models import PageViewRestriction

from newsroom import chooser
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase, article_form, form_errors

CHOOSER = reverse("wagtailadmin_choose_page_search")


class ChooserResultsTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.live = factories.article(cls.kepu, title="黄河湿地候鸟监测", date="2022-01-01 09:00")
        cls.draft = factories.article(cls.kepu, title="黄河岸线整治草稿", publish=False)
        cls.changed = factories.article(cls.yaowen, title="黄河生态补偿机制", date="2022-02-01 09:00")
        cls.changed.title = "黄河生态补偿机制(修改中)"
        cls.changed.save_revision(user=cls.reporter)
        cls.private = factories.article(cls.kepu, title="黄河内部通报", date="2022-03-01 09:00")
        PageViewRestriction.objects.create(page=cls.private, restriction_type=PageViewRestriction.LOGIN)
        cls.locked = factories.article(cls.kepu, title="黄河防汛值班表", date="2022-04-01 09:00")
        cls.locked.locked, cls.locked.locked_by, cls.locked.locked_at = True, cls.editor, timezone.now()
        cls.locked.save()
        reporter = Client()
        reporter.force_login(cls.reporter)
        url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", cls.kepu.pk))
        form = article_form(title="黄河流域生态保护新进展", editor=cls.editor, slug="huanghe-review")
        response = reporter.post(url, form)
        assert response.status_code == 302, form_errors(response)

    def render(self, view, **params):
        request = RequestFactory().get(CHOOSER, {"page_type": "articles.articlepage", "q": "黄河", **params})
        request.user = self.reporter
        with translation.override("zh-hans"):
            return view.as_view()(request).render().content.decode()

    def test_search_results_match_wagtails_markup_for_every_kind_of_row(self):
        ours = self.render(chooser.SearchView)
        self.assertEqual(ours.count('class="choose-page"'), 6)
        self.assertHTMLEqual(ours, self.render(wagtail_chooser.SearchView))

    def test_choosing_several_pages_keeps_wagtails_columns(self):
        ours = self.render(chooser.SearchView, multiple="1")
        self.assertIn("chooser-modal-select-", ours)
        self.assertHTMLEqual(ours, self.render(wagtail_chooser.SearchView, multiple="1"))

    def test_the_admin_serves_the_chooser_search_from_this_view(self):
        response = self.as_user(self.reporter).get(CHOOSER, {"page_type": "articles.articlepage", "q": "黄河"})
        self.assertEqual(response.status_code, 200)
        self.assertIsInstance(response.context["table"].columns["title"], chooser.TitleColumn)
        self.assertContains(response, "黄河湿地候鸟监测")
