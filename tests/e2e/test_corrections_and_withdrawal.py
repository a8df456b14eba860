"""A chief editor corrects a live article (its responsible editor approves), then withdraws it; a reader sees each."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ArticlePage, ChannelIndexPage
from tests import factories

TITLE = "太原晋阳湖湿地迎来首批越冬候鸟"
NOTE = "原文称候鸟来自内蒙古,有误,应为来自西伯利亚。"
REASON = "稿件所附照片的版权未经授权。"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_chief_editor_corrects_then_withdraws_and_reader_sees_each_state(log_in, open_page, screenshot):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="wangqiang")
    channel = ChannelIndexPage.objects.get(slug="kepu")
    article = factories.article(
        channel, TITLE, "2022-11-20 09:00", slug="jinyanghu-houniao", responsible_editor=editor
    )
    reader = open_page()
    reader.goto(article.url)
    expect(reader.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(reader.get_by_role("region", name="更正说明")).to_have_count(0)

    chief = log_in("chenhua")
    chief.goto(f"/admin/pages/{article.pk}/edit/")
    chief.get_by_role("textbox", name="副标题").fill("首批候鸟来自西伯利亚")
    chief.get_by_role("textbox", name="更正说明").fill(NOTE)
    screenshot(chief, "chief-writes-correction")
    # Saved as a draft first (as the editor's autosave does), then submitted: the note must still go live once.
    chief.get_by_role("button", name="保存草稿").click()
    expect(chief.locator(".messages")).to_contain_text("已被更新")
    expect(chief.get_by_role("textbox", name="更正说明")).to_have_value(NOTE)
    chief.get_by_role("button", name="更多动作").click()
    chief.get_by_role("button", name=re.compile("^提交给")).click()
    expect(chief.locator(".messages")).to_contain_text("提交")

    reader.reload()
    expect(reader.get_by_role("region", name="更正说明")).to_have_count(0)

    responsible = log_in("wangqiang")
    row = responsible.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(TITLE))
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="审核通过", exact=True).or_(
        row.get_by_role("link", name="审核通过", exact=True)
    ).click()
    dialog = responsible.get_by_role("dialog")
    dialog.get_by_role("button", name="审核通过").click()
    expect(responsible.get_by_role("status")).to_contain_text("已发布")

    reader.reload()
    box = reader.get_by_role("region", name="更正说明")
    expect(box).to_contain_text(NOTE)
    expect(box.get_by_text(NOTE)).to_have_count(1)
    expect(reader.get_by_text("首批候鸟来自西伯利亚")).to_be_visible()
    screenshot(reader, "reader-sees-correction")
    reader.goto("/corrections/")
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()

    chief.goto(f"/admin/pages/{article.pk}/edit/")
    chief.get_by_role("button", name="更多动作").click()
    chief.get_by_role("link", name="撤稿").click()
    chief.get_by_role("textbox", name="撤稿理由").fill(REASON)
    chief.get_by_label("公开理由").check()
    screenshot(chief, "chief-withdraws")
    chief.get_by_role("button", name="是,撤稿").click()
    expect(chief.locator(".messages")).to_contain_text("已撤稿")
    assert not ArticlePage.objects.get(pk=article.pk).live

    response = reader.goto(article.url)
    assert response.status == 410, response.status
    expect(reader.get_by_role("heading", name="本文已撤稿")).to_be_visible()
    expect(reader.get_by_text(REASON)).to_be_visible()
    screenshot(reader, "reader-sees-withdrawal")
    reader.goto("/kepu/")
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
