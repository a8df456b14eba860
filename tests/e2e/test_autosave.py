"""Autosave in the article editor, as a reporter meets it: it never invents a conflict or an error.

Wagtail autosaves a draft a moment after each change. The reporter's own autosaves are not someone else's
version, and a button pressed while an autosave is still on its way saves once, in order, without a warning,
a dialog or a validation error that no field explains.
"""

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.models import ArticlePage, ChannelIndexPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "太行山区春季植树造林全面展开"
FIRST_LINE = "各地组织干部群众开展义务植树活动。"
LATER_LINE = "今年计划完成营造林面积超过400万亩。"
OVERTAKEN = "保存了新版本"  # the warning that someone else saved while one was editing
# Autosave waits for a pause in typing, then for the server: generous on a busy machine.
AUTOSAVE_TIMEOUT_MS = 60_000


def test_saving_a_draft_after_autosave_warns_of_no_other_editor(log_in, screenshot):
    reporter = log_in("reporter")
    start_article(reporter)
    expect(autosaved(reporter)).to_be_visible(timeout=AUTOSAVE_TIMEOUT_MS)
    reporter.get_by_role("button", name="保存草稿").click()
    expect_saved(reporter)
    expect(reporter.get_by_text(OVERTAKEN)).to_have_count(0)

    # More typing, autosave, and 保存草稿 again: still only the reporter's own work.
    wait_until_editor_watches(reporter)
    reporter.get_by_role("textbox", name="来源", exact=True).fill("山西日报")
    expect(autosaved(reporter)).to_be_visible(timeout=AUTOSAVE_TIMEOUT_MS)
    reporter.get_by_role("button", name="保存草稿").click()
    expect_saved(reporter)
    expect(reporter.get_by_text(OVERTAKEN)).to_have_count(0)
    screenshot(reporter, "saved-after-autosave")
    assert ArticlePage.objects.get(title=TITLE).get_latest_revision().as_object().source_name == "山西日报"


def test_the_first_change_to_an_existing_article_is_autosaved(log_in):
    # The editor of a saved article loads more than a new one; the change comes as soon as it watches.
    article = ArticlePage.objects.filter(owner__username="reporter", live=True).first()
    reporter = log_in("reporter")
    reporter.goto(f"/admin/pages/{article.pk}/edit/")
    wait_until_editor_watches(reporter)
    reporter.get_by_role("textbox", name="来源", exact=True).fill("中国环境报")
    expect(autosaved(reporter)).to_be_visible(timeout=AUTOSAVE_TIMEOUT_MS)
    article.refresh_from_db()
    assert article.get_latest_revision().as_object().source_name == "中国环境报"
    # An autosave is a draft: readers still see the approved version.
    assert article.source_name != "中国环境报"


def test_buttons_pressed_while_autosave_is_on_its_way_save_once_without_conflict(log_in, screenshot):
    reporter = log_in("reporter")
    slow = SlowAutosave(reporter)

    # A new article: the first autosave creates it, and 保存草稿 is pressed before that answer arrives.
    with slow.hold_next():
        start_article(reporter)
    reporter.get_by_role("button", name="保存草稿").click()
    slow.release()
    expect_saved(reporter)
    expect_no_error(reporter)
    assert ArticlePage.objects.filter(title=TITLE).count() == 1

    # Then a change, and 提交 while its autosave is on its way.
    wait_until_editor_watches(reporter)
    with slow.hold_next():
        # A reprint names its original title and author, or it cannot be submitted.
        reporter.get_by_role("textbox", name="来源", exact=True).fill("山西日报")
        reporter.get_by_role("textbox", name="原标题", exact=True).fill("太行山区植树造林启动")
        reporter.get_by_role("textbox", name="原作者", exact=True).fill("张华")
    reporter.get_by_role("button", name="更多动作").click()
    reporter.get_by_role("button", name=re.compile("^提交给")).click()
    slow.release()
    expect(reporter.locator(".messages")).to_contain_text(re.compile(f"{re.escape(TITLE)}.*提交"))
    expect_no_error(reporter)
    expect(reporter.get_by_role("dialog")).to_have_count(0)
    screenshot(reporter, "submitted-after-autosave")

    article = ArticlePage.objects.get(title=TITLE)
    assert article.current_workflow_task is not None
    assert article.current_workflow_state.current_task_state.revision.as_object().source_name == "山西日报"
    # The preview shows the submitted text, not a validation error.
    reporter.get_by_role("button", name="预览开关").click()
    with reporter.context.expect_page() as new_tab:
        reporter.get_by_role("link", name="新标签页预览").click()
    expect(new_tab.value.get_by_role("heading", name=TITLE, level=1)).to_be_visible()


def start_article(page):
    """The reporter opens a new 科普 article and writes its title, body and responsible editor."""
    channel = ChannelIndexPage.objects.get(slug="kepu")
    page.goto(f"/admin/pages/add/articles/articlepage/{channel.pk}/")
    wait_until_editor_watches(page)
    page.get_by_role("textbox", name="标题*", exact=True).fill(TITLE)
    body = page.locator("[data-contentpath=body]").first
    body.get_by_title(re.compile("插入内容块|Insert a block")).last.click()
    page.get_by_role("option", name="正文段落", exact=True).click()
    paragraph = body.locator("[data-streamfield-child]").last
    paragraph.get_by_role("textbox").fill(FIRST_LINE)
    expect(paragraph.locator("input[type=hidden][name$='-value']")).to_have_value(re.compile(FIRST_LINE))
    page.get_by_role("combobox", name="责任编辑", exact=True).select_option(label="王强(wangqiang)")


def wait_until_editor_watches(page):
    """The editor takes in its starting form a moment after it opens; only changes after that are autosaved.

    A person never types that fast; a test would, and its change would then count as the starting form.
    """
    page.wait_for_function(
        """() => {
            const form = document.querySelector("form[data-edit-form]");
            const app = window.wagtail && window.wagtail.app;
            const unsaved = form && app && app.getControllerForElementAndIdentifier(form, "w-unsaved");
            return Boolean(unsaved && unsaved.initialFormData);
        }"""
    )


def autosaved(page):
    return page.locator("#w-autosave-indicator").get_by_text("已保存", exact=True)


def expect_saved(page):
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_contain_text(
        re.compile(f"{re.escape(TITLE)}.*(已创建|已被更新)"), timeout=AUTOSAVE_TIMEOUT_MS
    )


def expect_no_error(page):
    expect(page.locator(".messages")).not_to_contain_text(re.compile("错误|已被使用|already in use|validation"))
    expect(page.locator(".error-message")).to_have_count(0)
    expect(page.get_by_text(OVERTAKEN)).to_have_count(0)


class SlowAutosave:
    """A slow network for autosave: the next autosave request is held, and reaches the server on release.

    On release the held request is sent from outside the page, so it arrives even if the page has moved on,
    as a request already on the wire would.
    """

    def __init__(self, page):
        self.page = page
        self.holding = False
        self.held = []
        page.route("**/admin/pages/**", self._route)

    @staticmethod
    def is_autosave(request):
        return request.method == "POST" and "application/json" in request.headers.get("accept", "")

    def _route(self, route):
        if self.holding and self.is_autosave(route.request):
            self.holding = False
            self.held.append(route)
        else:
            route.fallback()

    def hold_next(self):
        """Hold the next autosave; the returned context ends once the changes made inside it have sent one."""
        self.holding = True
        return self.page.expect_request(self.is_autosave, timeout=AUTOSAVE_TIMEOUT_MS)

    def release(self):
        for route in self.held:
            response = route.fetch()
            # The page may have left already; the server has had the request either way.
            with contextlib.suppress(PlaywrightError):
                route.fulfill(response=response)
        self.held.clear()
