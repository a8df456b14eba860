"""审校 in the browser: the content checks refuse a submit with personal data in it, and make the approver
confirm each warning before an article goes live.

科普 runs the one-stage review of the demo newsroom: the responsible editor's approval publishes the article.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import ArticlePage, ChannelIndexPage
from tests.newsroom.helpers import article_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKFLOW = "责任编辑审核流程"

REFUSED_TITLE = "太原市开展城区河道清淤整治"
MOBILE = "13812345678"
WITH_MOBILE = f"城区河道清淤整治全面展开，市民如发现河道垃圾可拨打{MOBILE}反映。"
WITHOUT_MOBILE = "城区河道清淤整治全面展开，市民如发现河道垃圾可通过12345热线反映。"

WARNED_TITLE = "太原市民踊跃参加春季义务植树"
TYPO, CORRECTION = "再接再励", "再接再厉"
WARNED_TEXT = f"植树活动已连续开展十年，今年将{TYPO}，再植新绿。"


def test_personal_data_stops_the_submit_until_it_is_removed(log_in, screenshot):
    reporter = log_in("reporter")
    channel = ChannelIndexPage.objects.get(slug="kepu")
    reporter.goto(f"/admin/pages/add/articles/articlepage/{channel.pk}/")
    reporter.get_by_role("textbox", name="标题*", exact=True).fill(REFUSED_TITLE)
    write_paragraph(reporter, WITH_MOBILE)
    reporter.get_by_role("combobox", name="责任编辑", exact=True).select_option(label="王强(wangqiang)")
    submit(reporter)

    # Refused, naming the number and what to do with it; the text is kept as a draft, there to fix.
    refusal = reporter.locator(".messages").get_by_text(re.compile("已保存为草稿,未提交审核"))
    expect(refusal).to_contain_text("修改后才能提交审核")
    expect(refusal).to_contain_text(MOBILE)
    expect(refusal).to_contain_text("疑似手机号码")
    expect(reporter.get_by_role("textbox", name="标题*", exact=True)).to_have_value(REFUSED_TITLE)
    screenshot(reporter, "submit-refused")
    # Nothing went to review, and closing the tab now would lose nothing.
    draft = ArticlePage.objects.get(title=REFUSED_TITLE)
    assert draft.current_workflow_state is None
    assert MOBILE in str(draft.get_latest_revision().content["body"])

    write_paragraph(reporter, WITHOUT_MOBILE)
    submit(reporter)
    expect(reporter.locator(".messages")).to_contain_text(re.compile(f"{REFUSED_TITLE}.*提交"))
    expect(reporter.get_by_role("region", name="审核状态")).to_contain_text("审核中")
    screenshot(reporter, "submitted-without-the-number")
    article = ArticlePage.objects.get(title=REFUSED_TITLE)
    assert article.current_workflow_task is not None
    assert MOBILE not in str(article.get_latest_revision().content["body"])


LIVE_TITLE = "汾河湿地候鸟数量创新高"
BLOCK_WORD = "测试敏感词"  # the demo list's block-level word
WITH_BLOCK_WORD = f"今年冬季汾河湿地观测到的候鸟超过两万只，{BLOCK_WORD}出现在这句话里。"
FIXED = "今年冬季汾河湿地观测到的候鸟超过两万只，创下有记录以来的新高。"


def test_the_proofreading_panel_marks_a_block_word_as_it_is_typed(log_in, screenshot, settings):
    # Without autosave the editor saves nothing until a button is pressed: what the panel shows is live.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    reporter = log_in("reporter")
    channel = ChannelIndexPage.objects.get(slug="kepu")
    reporter.goto(f"/admin/pages/add/articles/articlepage/{channel.pk}/")
    reporter.get_by_role("textbox", name="标题*", exact=True).fill(LIVE_TITLE)
    reporter.get_by_role("button", name="显示或隐藏审校结果").click()
    panel = reporter.get_by_role("region", name="审校结果")
    expect(panel).to_be_visible()

    write_paragraph(reporter, WITH_BLOCK_WORD)
    finding = panel.get_by_role("listitem").filter(has_text=BLOCK_WORD)
    expect(finding).to_contain_text("阻止提交")
    expect(finding).to_contain_text("敏感词")
    expect(finding).to_contain_text("演示用")  # the list's note, the reason
    expect(finding.locator("mark")).to_have_text(BLOCK_WORD)
    expect(finding).to_contain_text("观测到的候鸟超过两万只，")  # the text around it
    screenshot(reporter, "block-word-marked-before-saving")
    assert not ArticlePage.objects.filter(title=LIVE_TITLE).exists()

    write_paragraph(reporter, FIXED)
    expect(panel.locator("mark")).to_have_count(0)
    expect(panel).to_contain_text("未发现")
    screenshot(reporter, "fixed-and-clear")
    assert not ArticlePage.objects.filter(title=LIVE_TITLE).exists()


@pytest.fixture
def submitted_with_a_typo(demo_passwords):
    """A 科普 article with a typo in its body, submitted by the reporter to 王强, as the article editor posts it."""
    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="reporter"))
    kepu = ChannelIndexPage.objects.get(slug="kepu")
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", kepu.pk))
    form = article_form(title=WARNED_TITLE, editor=users.get(username="wangqiang"), text=f"<p>{WARNED_TEXT}</p>")
    response = client.post(url, form)
    assert response.status_code == 302
    article = ArticlePage.objects.get(title=WARNED_TITLE)
    assert article.current_workflow_task is not None
    return article


def test_a_warning_is_approved_only_once_the_editor_ticks_checked(
    submitted_with_a_typo, log_in, open_page, screenshot
):
    editor = log_in("wangqiang")
    row = editor.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(WARNED_TITLE))
    row.get_by_role("button", name="动作").click()
    approve = row.get_by_role("button", name="审核通过", exact=True)
    approve.or_(row.get_by_role("link", name="审核通过", exact=True)).click()

    dialog = editor.get_by_role("dialog")
    findings = dialog.get_by_role("region", name="审校提示")
    expect(findings).to_contain_text(TYPO)
    expect(findings).to_contain_text(f"应为“{CORRECTION}”")
    checked = dialog.get_by_role("checkbox", name="已核对")
    expect(checked).not_to_be_checked()
    screenshot(editor, "approval-dialog-lists-the-finding")

    dialog.get_by_role("button", name="审核通过").click()
    expect(dialog).to_contain_text("请逐条核对审校提示后勾选“已核对”")
    expect(dialog.get_by_role("region", name="审校提示")).to_contain_text(TYPO)
    screenshot(editor, "approval-asks-for-the-tick")
    assert not ArticlePage.objects.get(pk=submitted_with_a_typo.pk).live

    dialog.get_by_role("checkbox", name="已核对").check()
    dialog.get_by_role("button", name="审核通过").click()
    expect(editor.get_by_role("status")).to_contain_text(f"《{WARNED_TITLE}》审核通过,已发布到科普栏目")
    expect(row).to_have_count(0)
    screenshot(editor, "approved-and-published")
    article = ArticlePage.objects.get(pk=submitted_with_a_typo.pk)
    assert article.live

    reader = open_page()
    reader.goto(article.url)
    expect(reader.get_by_role("heading", name=WARNED_TITLE, level=1)).to_be_visible()


def write_paragraph(page, text):
    """The body's one paragraph holds ``text``: added when the body is empty, rewritten when it is not."""
    body = page.locator("[data-contentpath=body]").first
    blocks = body.locator("[data-streamfield-child]")
    insert = body.get_by_title("插入内容块").last
    expect(insert).to_be_visible()
    if not blocks.count():
        insert.click()
        page.get_by_role("option", name="正文段落", exact=True).click()
    block = blocks.first
    block.get_by_role("textbox").fill(text)
    # Draftail writes its content to the hidden input a moment later; submitting before that would lose it.
    expect(block.locator("input[type=hidden][name$='-value']")).to_have_value(re.compile(re.escape(text)))


def submit(page):
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{WORKFLOW}").click()
