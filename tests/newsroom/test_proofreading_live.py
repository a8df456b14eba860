"""审校 in the editor and the history: the side panel checks the article as typed, before anything is saved,
with the checks the submit runs; the page's history lists what each check showed and who ticked 已核对."""

from django.urls import reverse

from articles.models import ArticlePage
from newsroom.models import CheckLevel, SensitiveWord
from tests.newsroom.helpers import NewsroomTestCase, article_form

CLEAN_TEXT = "<p>黄河流域生态保护取得新进展。</p>"
BLOCKED_TEXT = "<p>黄河流域生态保护取得新进展，记者联系人电话13812345678，欢迎来电。</p>"
WARNED_TEXT = "<p>黄河流域生态保护再接再励，取得新进展。</p>"


class LiveProofreadingTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        SensitiveWord.objects.create(word="测试敏感词", level=CheckLevel.BLOCK, note="演示")

    def check_url(self, page):
        return reverse("newsroom_proofread_edit", args=(page.pk,))

    def create_check_url(self, channel):
        return reverse("newsroom_proofread_create", args=("articles", "articlepage", channel.pk))

    def draft(self):
        response, page = self.create(self.reporter, editor=self.editor, text=CLEAN_TEXT, action="action-save")
        return page

    def test_the_panel_lists_findings_of_text_not_yet_saved(self):
        page = self.draft()
        revisions = page.revisions.count()
        response = self.as_user(self.reporter).post(
            self.check_url(page), article_form(editor=self.editor, slug=page.slug, text=BLOCKED_TEXT, action=None)
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        [finding] = data["findings"]
        self.assertEqual((finding["rule"], finding["level"], finding["field"]), ("personal_data", "block", "body"))
        self.assertEqual(finding["text"], "13812345678")
        self.assertEqual(finding["level_name"], "阻止提交")
        self.assertEqual(finding["suggestion"], "138****5678")
        self.assertEqual(
            (finding["before"], finding["after"]), ("…域生态保护取得新进展，记者联系人电话", "，欢迎来电。")
        )
        self.assertIn("<mark>13812345678</mark>", data["html"])
        self.assertIn("疑似手机号码", data["html"])
        # Nothing saved: the article is as it was.
        self.assertEqual(page.revisions.count(), revisions)
        self.assertNotIn("13812345678", self.refreshed(page).get_latest_revision().content["body"])

    def test_the_panel_agrees_with_the_submit(self):
        """What the panel says stops the submit is what stops it."""
        page = self.draft()
        form = article_form(editor=self.editor, slug=page.slug, text="<p>这是一段测试敏感词。</p>", action=None)
        [finding] = self.as_user(self.reporter).post(self.check_url(page), form).json()["findings"]
        self.assertEqual(
            (finding["rule"], finding["level"], finding["reason"]), ("sensitive", "block", "敏感词:测试敏感词(演示)")
        )
        self.edit(self.reporter, page, editor=self.editor, text="<p>这是一段测试敏感词。</p>")
        self.assertIsNone(self.refreshed(page).current_workflow_state)

    def test_fixed_text_clears_the_panel(self):
        page = self.draft()
        form = article_form(editor=self.editor, slug=page.slug, text=CLEAN_TEXT, action=None)
        data = self.as_user(self.reporter).post(self.check_url(page), form).json()
        self.assertEqual(data["findings"], [])
        self.assertIn("未发现", data["html"])

    def test_a_new_article_is_checked_before_it_exists(self):
        before = ArticlePage.objects.count()
        form = article_form(title="", slug="", text=WARNED_TEXT, action=None)
        response = self.as_user(self.reporter).post(self.create_check_url(self.kepu), form)
        self.assertEqual(response.status_code, 200)
        [finding] = response.json()["findings"]
        self.assertEqual((finding["rule"], finding["text"], finding["suggestion"]), ("typo", "再接再励", "再接再厉"))
        self.assertEqual(finding["level_name"], "提示")
        self.assertEqual(ArticlePage.objects.count(), before)

    def test_someone_who_cannot_edit_the_article_is_refused(self):
        page = self.draft()
        form = article_form(editor=self.editor, slug=page.slug, text=BLOCKED_TEXT, action=None)
        response = self.as_user(self.other_reporter).post(self.check_url(page), form)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("findings", response.json())

    def test_a_request_that_is_not_the_editors_form_is_refused(self):
        page = self.draft()
        client = self.as_user(self.reporter)
        self.assertEqual(client.post(self.check_url(page), {"foo": "bar"}).status_code, 400)
        self.assertEqual(client.post(self.check_url(page), {"title": "只有标题"}).status_code, 400)
        response = client.post(self.check_url(page), '{"title": "x"}', content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(client.get(self.check_url(page)).status_code, 405)

    def test_the_editor_offers_the_panel_when_writing_a_new_article(self):
        response = self.as_user(self.reporter).get(self.create_url(self.kepu))
        self.assertContains(response, "data-proofreading-panel")
        self.assertContains(response, f'data-proofreading-url="{self.create_check_url(self.kepu)}"')
        self.assertContains(response, "newsroom/js/proofreading-panel")


class ProofreadingHistoryTests(NewsroomTestCase):
    def test_the_history_shows_what_each_check_found_and_who_ticked_checked(self):
        page = self.submitted(editor=self.editor, text=WARNED_TEXT)
        task_state = page.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        with self.captureOnCommitCallbacks(execute=True):
            self.as_user(self.editor).post(url, {"comment": "", "acknowledged": "on"})
        self.assertTrue(self.refreshed(page).live)

        response = self.as_user(self.chief).get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
        self.assertContains(response, "提交审核:0 条阻止提交/1 条提示")
        self.assertContains(response, "责任编辑审核:0 条阻止提交/1 条提示,王强 已核对")
        self.assertContains(response, "王强")
