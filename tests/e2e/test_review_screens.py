"""The review as the reporter and the reviewer see it: one state, the comment on top, a diff, a confirmation.

科普 runs the one-stage review of the demo newsroom: the responsible editor named on the article approves it,
and the approval publishes it.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "太原市汾河湿地迎来首批越冬候鸟"
OPENING = "近日，首批灰鹤飞抵汾河湿地，在此越冬。"
COMMENT = "请写明观测到的候鸟数量。"
WORKFLOW = "责任编辑审核流程"


def test_reporter_and_reviewer_see_one_state_the_comment_a_diff_and_a_confirmed_result(log_in, screenshot):
    reporter = log_in("reporter")
    reporter_writes_and_submits(reporter)

    editor = log_in("wangqiang")
    editor_compares_a_first_submission(editor, screenshot)
    editor_sends_back(editor, screenshot)

    reporter_sees_the_state_and_comment(reporter, screenshot)

    other_editor = log_in("zhaoli")
    unassigned_editor_sees_who_reviews(other_editor, screenshot)

    editor_approves_through_the_confirmation(editor, screenshot)


def reporter_writes_and_submits(page):
    page.get_by_role("button", name="页面").click()
    page.get_by_role("link", name="科普", exact=True).click()
    page.get_by_role("link", name="添加子页面").click()
    page.get_by_role("textbox", name="标题*", exact=True).fill(TITLE)
    body = page.locator("[data-contentpath=body]").first
    body.get_by_title(re.compile("插入内容块|Insert a block")).last.click()
    page.get_by_role("option", name="正文段落", exact=True).click()
    block = body.locator("[data-streamfield-child]").last
    block.get_by_role("textbox").fill(OPENING)
    expect(block.locator("input[type=hidden][name$='-value']")).to_have_value(re.compile(re.escape(OPENING)))
    page.get_by_role("combobox", name="责任编辑", exact=True).select_option(label="王强(wangqiang)")
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))

    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{WORKFLOW}").click()
    expect(review_banner(page)).to_contain_text("审核中")
    expect(review_banner(page)).to_contain_text("审核人:王强")


def review_banner(page):
    return page.get_by_role("region", name="审核状态")


def review_row(page):
    return page.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(TITLE))


def review_action(page, name):
    row = review_row(page)
    row.get_by_role("button", name="动作").click()
    return row.get_by_role("button", name=name, exact=True).or_(row.get_by_role("link", name=name, exact=True))


def editor_compares_a_first_submission(page, screenshot):
    page.reload()
    review_action(page, "查看改动").click()
    expect(page.get_by_text("空白稿")).to_be_visible()
    expect(page.get_by_text("这两个版本之间没有区别")).to_have_count(0)
    # Nothing was approved yet, so the whole text shows as added, highlighted.
    expect(page.locator("ins, .addition").filter(has_text=OPENING).first).to_be_visible()
    expect(page.locator("ins, .addition").filter(has_text=TITLE).first).to_be_visible()
    screenshot(page, "editor-compares-first-submission")
    page.go_back()


def editor_sends_back(page, screenshot):
    review_action(page, "退回修改").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"退回后,《{TITLE}》回到 李明 手中修改")
    dialog.get_by_label("退回意见").fill(COMMENT)
    dialog.get_by_role("button", name="退回修改").click()
    expect(page.get_by_role("status")).to_contain_text(f"《{TITLE}》已退回给 李明")
    screenshot(page, "editor-sent-back")


def reporter_sees_the_state_and_comment(page, screenshot):
    page.goto("/admin/")
    row = page.get_by_role("region", name="我的稿件").get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("已退回")
    expect(row).to_contain_text(f"退回意见:{COMMENT}")

    row.get_by_role("link", name=TITLE).click()
    banner = review_banner(page)
    expect(banner).to_contain_text("已退回")
    expect(banner).to_contain_text("王强")
    expect(banner).to_contain_text(f"退回意见:{COMMENT}")
    # The status panel tells the same state and names who sent it back, not the submitter.
    page.get_by_role("button", name="状态").click()
    status = page.get_by_role("heading", name=re.compile("已退回"))
    expect(status).to_be_visible()
    expect(page.get_by_text("王强 退回修改").first).to_be_visible()
    expect(page.get_by_text("经由李明")).to_have_count(0)
    screenshot(page, "reporter-sees-sent-back-on-top")

    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=re.compile("重新提交")).click()
    expect(review_banner(page)).to_contain_text("审核中")


def unassigned_editor_sees_who_reviews(page, screenshot):
    page.get_by_role("button", name="页面").click()
    page.get_by_role("link", name="科普", exact=True).click()
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("此稿件由 王强 审核")
    screenshot(page, "other-editor-sees-who-reviews")


def editor_approves_through_the_confirmation(page, screenshot):
    page.reload()
    review_action(page, "审核通过").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"审核通过后,《{TITLE}》将立即发布到科普栏目,读者可见。")
    screenshot(page, "editor-confirms-approval")
    # A double click sends the decision once; the result is reported, not an error.
    dialog.get_by_role("button", name="审核通过").dblclick()
    message = page.get_by_role("status")
    expect(message).to_contain_text(f"《{TITLE}》审核通过,已发布到科普栏目")
    expect(review_row(page)).to_have_count(0)
    screenshot(page, "editor-sees-the-result")
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live
    expect(message.get_by_role("link", name="查看")).to_have_attribute("href", article.full_url)
