"""A chief editor pins an older article to the top of its channel and the home page; a reader sees it first,
marked 置顶."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ChannelIndexPage
from tests import factories

TITLE = "汾河湿地越冬候鸟监测报告发布"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_chief_editor_pins_an_article_and_reader_sees_it_first_with_the_mark(log_in, open_page, screenshot):
    channel = ChannelIndexPage.objects.get(slug="kepu")
    article = factories.article(channel, TITLE, "2015-03-01 09:00", slug="fenhe-houniao-jiance")

    chief = log_in("chenhua")
    chief.get_by_role("link", name="置顶").click()
    expect(chief.get_by_role("heading", name="置顶")).to_be_visible()
    chief.get_by_role("link", name=re.compile("添加")).first.click()
    chief.get_by_role("button", name="选择文章").click()
    modal = chief.get_by_role("dialog")
    modal.get_by_role("textbox", name="搜索条件").fill("汾河湿地越冬")
    modal.get_by_role("link", name=TITLE).click()
    expect(modal).to_be_hidden()
    expect(chief.get_by_role("region", name=re.compile("^文章"))).to_contain_text(TITLE)
    chief.get_by_role("spinbutton", name="顺序").fill("1")
    chief.get_by_role("checkbox", name="同时置顶到首页").check()
    screenshot(chief, "chief-pins-article")
    chief.get_by_role("button", name="创建").click()
    expect(chief.get_by_role("table")).to_contain_text(TITLE)
    expect(chief.get_by_role("table")).to_contain_text("生效中")
    screenshot(chief, "pin-listing")

    reader = open_page()
    reader.goto(channel.url)
    first = reader.locator("ul.article-list li").first
    expect(first.get_by_role("link")).to_have_accessible_name(re.compile(rf"^置顶\s*{TITLE}"))
    expect(first.get_by_text("置顶", exact=True)).to_be_visible()
    screenshot(reader, "channel-shows-pin-first")

    reader.goto("/")
    block = reader.get_by_role("region", name="科普")
    expect(block.get_by_role("listitem").first.get_by_role("link")).to_have_accessible_name(f"置顶 {TITLE}")
    screenshot(reader, "home-shows-pin-first")
    assert article.live

    # 撤稿 of the pinned article takes its pin away too, and says so.
    chief.goto(f"/admin/pages/{article.pk}/edit/")
    chief.get_by_role("button", name="更多动作").click()
    chief.get_by_role("link", name="撤稿").click()
    chief.get_by_role("textbox", name="撤稿理由").fill("监测数据有误。")
    chief.get_by_role("button", name="是,撤稿").click()
    expect(chief.locator(".messages")).to_contain_text("已撤稿。置顶已同时取消。")
    expect(chief.locator("tbody tr", has_text=TITLE)).to_contain_text("已撤稿")
    screenshot(chief, "withdrawal-unpins")
    chief.get_by_role("link", name="置顶").click()
    expect(chief.get_by_role("heading", name="置顶")).to_be_visible()
    expect(chief.get_by_text(TITLE)).to_have_count(0)
