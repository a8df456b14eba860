"""What the reporter and the reviewer see of a review: one state, the comment, a confirmation, a result, a diff."""

import html
import json

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState

from articles.models import ArticlePage
from tests.newsroom.helpers import NewsroomTestCase

COMMENT = "请补充监测数据的来源。"
OPENING = "黄河流域生态保护取得新进展。"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def text_of(html, selector):
    found = BeautifulSoup(html, "html.parser").select_one(selector)
    return found.get_text(" ", strip=True) if found else ""


def banner(response):
    return text_of(response.content, "section[aria-label=审核状态]")


def messages_of(response):
    """The messages the request left, as read (without the buttons Wagtail adds after the text)."""
    return [html.unescape(str(message).split("<")[0]).strip() for message in get_messages(response.wsgi_request)]


class ReviewScreensTestCase(NewsroomTestCase):
    def as_user(self, person):
        # Each request's messages are its own: drop those left unread by earlier requests.
        self.client.cookies.pop("messages", None)
        return super().as_user(person)

    def action_url(self, page, action, view="workflow_action"):
        task_state = ArticlePage.objects.get(pk=page.pk).current_workflow_task_state
        return reverse(f"wagtailadmin_pages:{view}", args=(page.pk, action, task_state.pk))

    def decide(self, person, page, action, comment="", url=None):
        """Press the dialog's button on the dashboard: the decision, then back to the dashboard."""
        url = url or self.action_url(page, action)
        with self.captureOnCommitCallbacks(execute=True):
            return self.as_user(person).post(url, {"comment": comment, "next": "/admin/"})


class EditorBannerTests(ReviewScreensTestCase):
    def test_sent_back_article_shows_who_sent_it_back_when_and_the_comment_at_the_top(self):
        page = self.submitted(title="被退回的稿件")
        self.decide(self.editor, page, "reject", comment=COMMENT)

        response = self.as_user(self.reporter).get(self.edit_url(page))

        text = banner(response)
        self.assertIn("已退回", text)
        self.assertIn("王强", text)
        self.assertIn("退回修改", text)
        self.assertIn(f"退回意见:{COMMENT}", text)
        self.assertRegex(text, r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")

    def test_status_panel_says_sent_back_by_the_reviewer_not_in_review_by_the_submitter(self):
        page = self.submitted(title="被退回的稿件")
        self.decide(self.editor, page, "reject", comment=COMMENT)

        html = self.as_user(self.reporter).get(self.edit_url(page)).content.decode()

        panel = text_of(html, "[data-side-panel=status]")
        self.assertIn("已退回", panel)
        self.assertIn("王强 退回修改", panel)
        self.assertNotIn("审核中", panel)
        self.assertNotIn("经由李明", html)

    def test_article_in_review_shows_the_stage_and_the_reviewer(self):
        page = self.submitted(channel=self.yaowen, title="要闻稿件")

        text = banner(self.as_user(self.reporter).get(self.edit_url(page)))

        self.assertIn("审核中", text)
        self.assertIn("当前环节:责任编辑审核", text)
        self.assertIn("审核人:王强", text)

    def test_same_state_words_in_my_articles_and_the_editor(self):
        page = self.submitted(title="被退回的稿件")
        self.decide(self.editor, page, "reject", comment=COMMENT)

        dashboard = text_of(self.as_user(self.reporter).get("/admin/").content, "#my-articles-section")
        editor = banner(self.as_user(self.reporter).get(self.edit_url(page)))

        self.assertIn("已退回", dashboard)
        self.assertTrue(editor.startswith("已退回"), editor)


class ApprovalConfirmationTests(ReviewScreensTestCase):
    def dialog(self, person, page, action="approve"):
        response = self.as_user(person).get(self.action_url(page, action), **XHR)
        self.assertEqual(response.status_code, 200)
        return json.loads(response.content)["html"]

    def test_approving_a_single_stage_review_says_where_the_article_goes_live(self):
        page = self.submitted(title="科普稿件")

        html = self.dialog(self.editor, page)

        self.assertIn("审核通过后,《科普稿件》将立即发布到科普栏目,读者可见。", text_of(html, "[data-review-outcome]"))
        self.assertIn("审核意见", html)  # the optional comment of 通过并附言, now in the one dialog

    def test_approving_the_first_of_two_stages_says_who_reviews_next(self):
        page = self.submitted(channel=self.yaowen, title="要闻稿件")

        html = self.dialog(self.editor, page)

        self.assertIn("将交由总编辑终审", text_of(html, "[data-review-outcome]"))

    def test_the_menu_offers_one_approval_which_asks_first(self):
        page = self.submitted(title="科普稿件")
        actions = page.current_workflow_task.get_actions(page, self.editor)
        self.assertEqual(
            [(name, label, modal) for name, label, modal in actions if name == "approve"],
            [("approve", "审核通过", True)],
        )

    def test_approval_reports_the_publication_and_its_address(self):
        page = self.submitted(title="科普稿件")

        response = self.decide(self.editor, page, "approve")

        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        page = ArticlePage.objects.get(pk=page.pk)
        self.assertTrue(page.live)
        self.assertEqual(messages_of(response), [f"《科普稿件》审核通过,已发布到科普栏目:{page.full_url}"])

    def test_approving_the_first_stage_reports_the_next_stage(self):
        page = self.submitted(channel=self.yaowen, title="要闻稿件")

        response = self.decide(self.editor, page, "approve")

        self.assertEqual(messages_of(response), ["《要闻稿件》审核通过,已交由下一环节:总编辑终审(总编辑)。"])
        self.assertFalse(ArticlePage.objects.get(pk=page.pk).live)

    def test_sending_back_reports_to_whom(self):
        page = self.submitted(title="科普稿件")

        response = self.decide(self.editor, page, "reject", comment=COMMENT)

        self.assertEqual(messages_of(response), ["《科普稿件》已退回给 李明,退回意见已告知。"])

    def test_a_second_press_of_approve_reports_the_publication_and_publishes_once(self):
        page = self.submitted(title="科普稿件")
        url = self.action_url(page, "approve")
        self.decide(self.editor, page, "approve", url=url)

        again = self.decide(self.editor, page, "approve", url=url)

        self.assertRedirects(again, "/admin/", fetch_redirect_response=False)
        self.assertEqual(len(messages_of(again)), 1)
        self.assertIn("审核通过,已发布到科普栏目", messages_of(again)[0])
        self.assertEqual(PageLogEntry.objects.filter(page=page, action="wagtail.publish").count(), 1)

    def test_a_second_press_after_the_first_stage_reports_the_next_stage_not_a_refusal(self):
        page = self.submitted(channel=self.yaowen, title="要闻稿件")
        url = self.action_url(page, "approve")
        self.decide(self.editor, page, "approve", url=url)

        again = self.as_user(self.editor).post(url, {"comment": "", "next": "/admin/"}, **XHR)

        self.assertEqual(json.loads(again.content), {"step": "success", "redirect": "/admin/"})
        self.assertEqual(messages_of(again), ["《要闻稿件》审核通过,已交由下一环节:总编辑终审(总编辑)。"])
        self.assertEqual(self.task_state(page).status, TaskState.STATUS_IN_PROGRESS)  # the chief's stage waits

    def test_a_repeated_decision_from_the_editor_saves_nothing_and_reports_the_result(self):
        page = self.submitted(title="科普稿件")
        self.decide(self.editor, page, "approve")
        revisions = page.revisions.count()

        form = {"action-workflow-action": "1", "workflow-action-name": "approve", "next": "/admin/"}
        response = self.as_user(self.editor).post(self.edit_url(page), form)

        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertIn("审核通过,已发布到科普栏目", messages_of(response)[0])
        self.assertEqual(page.revisions.count(), revisions)

    def test_a_forged_approval_by_another_editor_is_still_refused(self):
        page = self.submitted(title="科普稿件")

        response = self.decide(self.other_editor, page, "approve")

        self.assertIn("没有权限", " ".join(messages_of(response)))
        self.assertFalse(ArticlePage.objects.get(pk=page.pk).live)


class UnassignedEditorTests(ReviewScreensTestCase):
    def test_opening_an_article_reviewed_by_someone_else_says_who_reviews_it(self):
        page = self.submitted(title="王强审核的稿件")

        response = self.as_user(self.other_editor).get(self.edit_url(page))

        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(
            messages_of(response), ["你没有权限访问《王强审核的稿件》:此稿件由 王强 审核(责任编辑审核)。"]
        )

    def test_channel_listing_says_who_reviews_an_article_they_cannot_open(self):
        self.submitted(title="王强审核的稿件")

        html = self.as_user(self.other_editor).get(reverse("wagtailadmin_explore", args=(self.kepu.pk,))).content

        self.assertIn("此稿件由 王强 审核", text_of(html, "[data-review-holder]"))


class CompareTests(ReviewScreensTestCase):
    def changes_link(self, person):
        html = self.as_user(person).get("/admin/").content
        section = BeautifulSoup(html, "html.parser").find(id="awaiting-review-section")
        return section.find("a", string="查看改动")["href"]

    def test_first_review_compare_shows_the_whole_text_as_added(self):
        self.submitted(title="第一次送审的稿件", text=f"<p>{OPENING}</p>")

        response = self.as_user(self.editor).get(self.changes_link(self.editor))

        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("没有区别", html)
        soup = BeautifulSoup(html, "html.parser")
        added = " ".join(node.get_text() for node in soup.select("ins, .addition"))
        self.assertIn(OPENING, added)
        self.assertIn("第一次送审的稿件", added)
        self.assertIn("空白稿", text_of(html, "[data-compared-versions]"))

    def test_review_of_a_published_article_compares_with_the_approved_version(self):
        page = self.submitted(title="已发布的稿件", text=f"<p>{OPENING}</p>")
        self.decide(self.editor, page, "approve")
        self.edit(
            self.reporter, page, title="已发布的稿件", editor=self.editor, text=f"<p>{OPENING}</p><p>补充一段。</p>"
        )

        response = self.as_user(self.editor).get(self.changes_link(self.editor))

        soup = BeautifulSoup(response.content, "html.parser")
        added = " ".join(node.get_text() for node in soup.select("ins, .addition"))
        self.assertIn("补充一段。", added)
        self.assertNotIn("已发布的稿件", added)  # the title, approved as it is, is not a change
        self.assertIn("上次审核通过的版本", text_of(response.content, "[data-compared-versions]"))

    def test_the_reviewer_finds_the_compare_action_at_the_top_of_the_editor(self):
        page = self.submitted(title="第一次送审的稿件")

        response = self.as_user(self.editor).get(self.edit_url(page))

        link = BeautifulSoup(response.content, "html.parser").select_one("section[aria-label=审核状态] a.button")
        self.assertEqual(link.get_text(strip=True), "查看改动")
        self.assertEqual(link["href"], self.changes_link(self.editor))
