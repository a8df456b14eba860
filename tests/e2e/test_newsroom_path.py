"""One article's life in a browser: written, reviewed, sent back, approved, read, then withdrawn.

The demo newsroom (``load_demo``) supplies the people and the channels. 要闻 runs the two-stage review:
the responsible editor named on the article (责任编辑审核), then a chief editor (总编辑终审).
"""

import re
from datetime import datetime

import feedparser
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import TaskState

from articles.models import ArticlePage, ChannelIndexPage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "汾河流域湿地保护取得新成效"
SEARCH_WORD = "湿地"
SOURCE = "山西日报"  # a reprint: it names its original title and author
ORIGINAL_TITLE = "汾河湿地候鸟明显增多"
ORIGINAL_AUTHOR = "张华"
DATE = "2022-11-03 10:00"  # between two demo 要闻 articles, so the new one has a 下一篇
OPENING = "今年以来，山西持续推进汾河流域湿地保护与修复，候鸟数量明显增加。"
HEADING = "湿地面积稳步扩大"
IMAGE_TITLE = "汾河湿地候鸟"
ALT_TEXT = "汾河湿地上空的候鸟"
CAPTION = "汾河湿地迎来越冬候鸟。"
CLOSING = "下一步，当地将继续实施湿地生态补水工程。"
RELATED = "我国出台黄河保护法守护母亲河(附全文)"
WORKFLOW = "要闻两级审核流程"
REJECTION = "请补充越冬候鸟的种类和数量。"
REVISION = "据监测，今冬已有灰鹤、白琵鹭等12种候鸟在汾河湿地越冬，总数超过3000只。"
WITHDRAWAL_REASON = "候鸟数量引用了未经核实的数据。"


@pytest.fixture
def body_photo(demo_passwords):
    """A photo in the demo's media library for the article body."""
    return factories.image(title=IMAGE_TITLE, size=(800, 500), colour=(70, 140, 180))


def test_article_goes_from_draft_through_review_to_readers_and_is_withdrawn(body_photo, log_in, open_page, screenshot):
    reporter = log_in("reporter")
    article_id = reporter_writes_and_submits(reporter, screenshot)

    editor = log_in("wangqiang")
    editor_sends_back(editor, screenshot)
    reporter_revises_and_resubmits(reporter, screenshot)

    other_editor = log_in("zhaoli")
    unassigned_editor_cannot_approve(other_editor, article_id, screenshot)

    editor_approves(editor, screenshot)
    chief = log_in("chenhua")
    chief_approves(chief, screenshot)

    reader = open_page()
    article_url = reader_finds_and_reads(reader, screenshot)

    chief_withdraws(chief, article_id, screenshot)
    reader_no_longer_finds(reader, article_url, screenshot)


# 1. The reporter writes, saves, previews and submits.


def reporter_writes_and_submits(page, screenshot):
    screenshot(page, "reporter-dashboard")
    page.get_by_role("button", name="页面").click()
    page.get_by_role("link", name="要闻", exact=True).click()
    page.get_by_role("link", name="添加子页面").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/articles/articlepage/\d+/$"))

    page.get_by_role("textbox", name="标题*", exact=True).fill(TITLE)
    page.get_by_role("textbox", name="来源", exact=True).fill(SOURCE)
    page.get_by_role("textbox", name="原标题", exact=True).fill(ORIGINAL_TITLE)
    page.get_by_role("textbox", name="原作者", exact=True).fill(ORIGINAL_AUTHOR)
    page.get_by_role("textbox", name="记者", exact=True).fill("李明")
    date = page.get_by_role("textbox", name="发布时间")
    date.fill(DATE)
    date.press("Tab")  # closes the date picker

    add_block(page, "正文段落", lambda block: fill_rich_text(block, OPENING))
    add_block(page, "小标题", lambda block: block.get_by_role("textbox", name="标题*").fill(HEADING))
    add_block(page, "图片", choose_image)
    add_block(page, "正文段落", lambda block: fill_rich_text(block, CLOSING))

    page.get_by_role("button", name="增加 相关新闻").click()
    page.locator("#id_related_links-FORMS > *").last.get_by_role("button", name="选择一个页面").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("row", name=re.compile("要闻")).get_by_role("link", name="浏览").click()
    chooser.get_by_role("link", name=RELATED, exact=True).click()
    expect(chooser).to_be_hidden()
    expect(page.locator("#id_related_links-FORMS")).to_contain_text(RELATED)

    page.get_by_role("combobox", name="责任编辑", exact=True).select_option(label="王强(wangqiang)")
    screenshot(page, "reporter-writes")

    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect_message(page, "(已创建|已被更新)")
    article_id = int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))

    # Preview in a new tab: the side panel's inline preview is blocked by the public CSP (frame-ancestors 'none').
    page.get_by_role("button", name="预览开关").click()
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="新标签页预览").click()
    preview = new_tab.value
    expect(preview.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(preview.get_by_text(CAPTION)).to_be_visible()
    expect(preview.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    screenshot(preview, "reporter-previews")
    preview.close()

    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{WORKFLOW}").click()
    expect_message(page, "提交")
    page.get_by_role("link", name="控制面板").click()
    expect(my_article(page)).to_contain_text("审核中")
    screenshot(page, "reporter-submitted")

    article = ArticlePage.objects.get(pk=article_id)
    assert not article.live
    assert article.current_workflow_task.name == "责任编辑审核"
    return article_id


def add_block(page, kind, fill):
    body = page.locator("[data-contentpath=body]").first
    blocks = body.locator("[data-streamfield-child]")
    insert = body.get_by_title("插入内容块").last
    # The editor's script draws the body's blocks and their insert buttons together: count them once it has.
    expect(insert).to_be_visible()
    count = blocks.count()
    insert.click()
    page.get_by_role("option", name=kind, exact=True).click()
    # On a busy machine the new block appears a moment later; until then .last is the previous block.
    expect(blocks).to_have_count(count + 1)
    fill(blocks.last)


def fill_rich_text(block, text):
    block.get_by_role("textbox").fill(text)
    # Draftail writes its content to the hidden input a moment later; saving before that would lose it.
    expect(block.locator("input[type=hidden][name$='-value']")).to_have_value(re.compile(re.escape(text)))


def choose_image(block):
    page = block.page
    block.get_by_role("button", name="选择一个图片").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=IMAGE_TITLE).click()
    expect(chooser).to_be_hidden()
    block.get_by_label("替代文本").fill(ALT_TEXT)
    block.get_by_label("图片说明").fill(CAPTION)


def expect_message(page, verb):
    """Wagtail's message after an action, such as 页面'…'已创建."""
    expect(page.locator(".messages")).to_contain_text(re.compile(f"{re.escape(TITLE)}.*{verb}"))


def my_article(page):
    return page.get_by_role("region", name="我的稿件").get_by_role("row", name=re.compile(TITLE))


def review_row(page):
    return page.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(TITLE))


def review_action(page, name):
    row = review_row(page)
    row.get_by_role("button", name="动作").click()
    return row.get_by_role("button", name=name, exact=True).or_(row.get_by_role("link", name=name, exact=True))


# 2. The responsible editor reviews, sends it back, and approves the revision; a chief editor approves stage two.


def editor_sends_back(page, screenshot):
    expect(review_row(page)).to_contain_text("李明")
    screenshot(page, "editor-awaiting-review")

    review_action(page, "查看改动").click()
    expect(page).to_have_url(re.compile(r"/revisions/compare/"))
    expect(page.get_by_role("heading", name=re.compile(TITLE))).to_be_visible()
    expect(page.locator("ins, .addition").filter(has_text=OPENING).first).to_be_visible()
    screenshot(page, "editor-compares-first-submission")
    page.go_back()

    review_action(page, "退回修改").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("退回意见").fill(REJECTION)
    screenshot(page, "editor-requests-changes")
    dialog.get_by_role("button", name="退回修改").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("region", name="待我审核")).to_have_count(0)


def reporter_revises_and_resubmits(page, screenshot):
    page.reload()
    row = my_article(page)
    expect(row).to_contain_text("已退回")
    expect(row).to_contain_text(f"退回意见:{REJECTION}")
    screenshot(page, "reporter-sees-comment")

    row.get_by_role("link", name=TITLE).click()
    # The editor opens with the same state and the comment at the top.
    expect(page.get_by_role("region", name="审核状态")).to_contain_text(f"退回意见:{REJECTION}")
    add_block(page, "正文段落", lambda block: fill_rich_text(block, REVISION))
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name="重新提交给责任编辑审核").click()
    expect_message(page, "提交")
    screenshot(page, "reporter-resubmitted")


def editor_approves(page, screenshot):
    page.reload()
    review_action(page, "与退回时的版本比较").click()
    expect(page.locator("ins, .addition").filter(has_text=REVISION).first).to_be_visible()
    screenshot(page, "editor-compares-revision")
    page.go_back()

    approve_in_dialog(page)
    expect(page.get_by_role("status")).to_contain_text("已交由下一环节")
    expect(review_row(page)).to_have_count(0)
    screenshot(page, "editor-approved")


def chief_approves(page, screenshot):
    expect(review_row(page)).to_be_visible()
    screenshot(page, "chief-awaiting-final-review")
    approve_in_dialog(page)
    expect(page.get_by_role("status")).to_contain_text("已发布到要闻栏目")
    expect(review_row(page)).to_have_count(0)
    assert ArticlePage.objects.get(title=TITLE).live


def approve_in_dialog(page):
    """审核通过 asks first, in a dialog saying what the approval does."""
    review_action(page, "审核通过").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("审核通过后")
    dialog.get_by_role("button", name="审核通过").click()


# 4. An editor who is not named on the article has no way to approve it.


def unassigned_editor_cannot_approve(page, article_id, screenshot):
    expect(page.get_by_role("region", name="待我审核")).to_have_count(0)
    screenshot(page, "other-editor-dashboard")

    page.goto(f"/admin/pages/{article_id}/edit/")
    expect(page.get_by_text("你没有权限访问")).to_be_visible()
    expect(page.get_by_role("button", name="审核通过")).to_have_count(0)
    screenshot(page, "other-editor-refused-editor")

    article = ArticlePage.objects.get(pk=article_id)
    task_state = article.current_workflow_task_state
    # A hand-made form posting 审核通过 for this review, as a forged request would.
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    action = f"/admin/pages/workflow/action/{article_id}/approve/{task_state.pk}/"
    with page.expect_navigation():
        page.evaluate(FORGE_FORM, {"action": action, "fields": {"csrfmiddlewaretoken": token, "comment": "越权通过"}})
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("status").get_by_text("没有权限")).to_be_visible()
    screenshot(page, "other-editor-forged-approval-refused")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not ArticlePage.objects.get(pk=article_id).live


FORGE_FORM = """({action, fields}) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
}"""


# 3. Readers find it everywhere readers look.


def reader_finds_and_reads(page, screenshot):
    page.goto("/")
    yaowen = page.locator(".channel-block").filter(has=page.get_by_role("heading", name="要闻"))
    expect(yaowen.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, "reader-home")

    page.get_by_role("navigation", name="栏目").get_by_role("link", name="要闻").click()
    expect(page.get_by_role("heading", name="要闻", level=1)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    article_url = page.url

    article = page.locator("article")
    expect(article.locator(".article-meta")).to_contain_text(f"来源: {SOURCE}")
    expect(article.locator(".article-meta")).to_contain_text(f"作者:{ORIGINAL_AUTHOR}")
    expect(article.get_by_text("责任编辑:王强")).to_be_visible()
    expect(article.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(article.get_by_text(REVISION)).to_be_visible()
    image = article.get_by_role("img", name=ALT_TEXT)
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the body image did not load"
    expect(article.get_by_text(CAPTION)).to_be_visible()

    related = page.get_by_role("region", name="相关新闻").get_by_role("listitem")
    expect(related.first.get_by_role("heading")).to_have_text(RELATED)
    next_article = newer_neighbour()
    expect(page.get_by_role("navigation", name="上一篇与下一篇")).to_contain_text(f"下一篇:{next_article.title}")
    screenshot(page, "reader-article")

    search(page, SEARCH_WORD)
    expect(page.locator(".search-results").get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    screenshot(page, "reader-search")

    page.goto("/")
    with page.expect_response(re.compile(r"/rss/$")) as feed:
        page.get_by_role("link", name="RSS").click()
    assert TITLE in feed_titles(feed.value.text())
    expect(page.get_by_text(TITLE).first).to_be_visible()
    screenshot(page, "reader-feed")
    return article_url


def newer_neighbour():
    """The 要闻 article published right after the new one's date: its 下一篇."""
    channel = ChannelIndexPage.objects.get(slug="yaowen")
    date = timezone.make_aware(datetime.strptime(DATE, "%Y-%m-%d %H:%M"))
    return ArticlePage.objects.child_of(channel).live().filter(date__gt=date).order_by("date").first()


def search(page, word):
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill(word)
    box.press("Enter")
    expect(page.get_by_role("heading", name="站内搜索")).to_be_visible()


def feed_titles(xml):
    return [entry.title for entry in feedparser.parse(xml).entries]


# 5. A chief editor withdraws it with a reason; its address answers 410 and it disappears for readers.


def chief_withdraws(page, article_id, screenshot):
    page.goto(f"/admin/pages/{article_id}/edit/")
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("link", name="撤稿").click()
    expect(page.get_by_text("确定要撤稿吗")).to_be_visible()
    page.get_by_role("textbox", name="撤稿理由").fill(WITHDRAWAL_REASON)
    screenshot(page, "chief-withdraws")
    page.get_by_role("button", name="是,撤稿").click()
    expect_message(page, "已撤稿")
    assert not ArticlePage.objects.get(pk=article_id).live


def reader_no_longer_finds(page, article_url, screenshot):
    response = page.goto(article_url)
    assert response.status == 410, response.status
    expect(page.get_by_role("heading", name="本文已撤稿")).to_be_visible()
    # The reason was not made public.
    expect(page.get_by_text(WITHDRAWAL_REASON)).to_have_count(0)
    screenshot(page, "reader-article-gone")

    page.goto("/")
    expect(page.locator(".channel-block").filter(has_text="要闻").first).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    page.goto("/yaowen/")
    expect(page.get_by_role("heading", name="要闻", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    screenshot(page, "reader-channel-without-it")

    search(page, SEARCH_WORD)
    expect(page.locator(".search-results")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(TITLE))).to_have_count(0)
    screenshot(page, "reader-search-without-it")

    page.goto("/rss/")
    # The feed is sent with Last-Modified (its newest item's date) and no Cache-Control, so the browser may
    # show its earlier copy without asking the server; a reload asks again.
    response = page.reload()
    assert TITLE not in feed_titles(response.text())
    screenshot(page, "reader-feed-without-it")
