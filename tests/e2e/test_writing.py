"""A reporter starts a piece from the dashboard's 写稿 button and submits it, the way the newsroom works.

The demo newsroom (``load_demo``) supplies the people and the channels; 资讯 runs the one-stage review.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ArticlePage
from articles.wordcount import count_words
from newsroom.slugs import pinyin_slug

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "太原汾河湿地迎来越冬候鸟"
OPENING = "监测显示，今冬PM2.5浓度同比下降，灰鹤等候鸟提前到来。"
WORKFLOW = "责任编辑审核流程"


def test_reporter_writes_from_the_dashboard_and_lands_back_on_the_article(log_in, screenshot):
    page = log_in("reporter")
    page.get_by_role("link", name="写稿", exact=True).click()
    expect(page.get_by_role("heading", name="选择栏目")).to_be_visible()
    screenshot(page, "choose-channel")
    page.get_by_role("link", name="资讯", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/add/articles/articlepage/\d+/$"))

    # Signed with the reporter's own name; only responsible editors to choose from.
    expect(page.get_by_role("textbox", name="记者", exact=True)).to_have_value("李明")
    editor = page.get_by_role("combobox", name="责任编辑", exact=True)
    expect(editor.locator("option")).to_have_text(["---------", "王强(wangqiang)", "赵丽(zhaoli)"])
    expect(page.get_by_role("textbox", name="责任编辑(姓名)")).to_have_count(0)

    word_count = page.get_by_text(re.compile(r"^\d+ 字$"))
    expect(word_count).to_have_text("0 字")
    page.get_by_role("textbox", name="标题*", exact=True).fill(TITLE)
    expect(word_count).to_have_text(f"{count_words(TITLE)} 字")
    write_paragraph(page, OPENING)
    expect(word_count).to_have_text(f"{count_words(TITLE) + count_words(OPENING)} 字")
    expect(page.get_by_text("汉字每字计1")).to_be_visible()

    editor.select_option(label="王强(wangqiang)")
    screenshot(page, "writes")
    page.get_by_role("button", name="更多动作").click()
    page.get_by_role("button", name=f"提交给{WORKFLOW}").click()

    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(page.locator(".messages")).to_contain_text(re.compile(f"{TITLE}.*提交"))
    expect(page.get_by_role("textbox", name="标题*", exact=True)).to_have_value(TITLE)
    article = ArticlePage.objects.get(title=TITLE)
    assert page.url.endswith(f"/admin/pages/{article.pk}/edit/")
    assert article.current_workflow_task is not None

    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", article.slug), article.slug
    assert article.slug == pinyin_slug(TITLE)
    assert article.url_path.endswith(f"/zixun/{article.slug}/")
    page.get_by_role("tab", name="推荐").click()
    expect(page.get_by_role("textbox", name="缩略名")).to_have_value(article.slug)
    screenshot(page, "submitted-pinyin-address")


def write_paragraph(page, text):
    body = page.locator("[data-contentpath=body]").first
    body.get_by_title(re.compile("插入内容块|Insert a block")).last.click()
    page.get_by_role("option", name="正文段落", exact=True).click()
    block = body.locator("[data-streamfield-child]").first  # the body was empty
    block.get_by_role("textbox").fill(text)
    # Draftail writes its content to the hidden input a moment later; submitting before that would lose it.
    expect(block.locator("input[type=hidden][name$='-value']")).to_have_value(re.compile(re.escape(text)))
