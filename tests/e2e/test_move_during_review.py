"""A 资讯 article under review, moved into 要闻 from the page listing's row menu, needs 要闻's whole review.

资讯 runs one stage (责任编辑审核); 要闻 runs two (责任编辑审核, then 总编辑终审). After the move, the
responsible editor's approval no longer publishes the article: the chief editor's final review does.
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

TITLE = "汾河湿地迎来首批越冬候鸟"


@pytest.fixture
def submitted_in_zixun(demo_passwords):
    """A 资讯 article the reporter wrote and submitted to 王强 for review, as the article editor posts it."""
    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="reporter"))
    zixun = ChannelIndexPage.objects.get(slug="zixun")
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", zixun.pk))
    response = client.post(url, article_form(title=TITLE, editor=users.get(username="wangqiang")))
    assert response.status_code == 302
    return ArticlePage.objects.get(title=TITLE)


def review_row(page):
    return page.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(TITLE))


def approve(page):
    """审核通过 from the dashboard row, confirmed in the dialog that opens."""
    row = review_row(page)
    row.get_by_role("button", name="动作").click()
    row.get_by_role("button", name="审核通过", exact=True).or_(
        row.get_by_role("link", name="审核通过", exact=True)
    ).click()
    page.get_by_role("dialog").get_by_role("button", name="审核通过").click()
    expect(review_row(page)).to_have_count(0)


def test_piece_moved_into_yaowen_during_review_waits_for_the_chief_editors_final_review(
    submitted_in_zixun, log_in, open_page, screenshot
):
    chief = log_in("chenhua")
    chief_moves_into_yaowen_from_the_row_menu(chief, screenshot)

    editor = log_in("wangqiang")
    expect(review_row(editor)).to_be_visible()
    approve(editor)
    screenshot(editor, "editor-approved")
    assert not ArticlePage.objects.get(pk=submitted_in_zixun.pk).live

    reader = open_page()
    reader.goto("/yaowen/")
    expect(reader.get_by_role("heading", name="要闻", level=1)).to_be_visible()
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)

    chief.get_by_role("link", name="控制面板").click()
    expect(review_row(chief)).to_be_visible()
    screenshot(chief, "chief-final-review-awaits")
    approve(chief)
    assert ArticlePage.objects.get(pk=submitted_in_zixun.pk).live

    reader.reload()
    expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(reader, "reader-sees-it-in-yaowen")


def chief_moves_into_yaowen_from_the_row_menu(page, screenshot):
    page.get_by_role("button", name="页面").click()
    page.get_by_role("link", name="资讯", exact=True).click()
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("审核中")
    row.get_by_role("button", name=f"“{TITLE}”的更多选项").click()
    screenshot(page, "chief-row-menu")
    row.get_by_role("link", name="移动", exact=True).click()

    page.locator("main").get_by_role("button", name="动作").click()
    page.get_by_role("button", name="选择其它页面").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name="要闻", exact=True).click()
    expect(chooser).to_be_hidden()
    page.get_by_role("button", name="确认").click()
    page.get_by_role("button", name=re.compile("请开始移动")).click()

    messages = page.locator(".messages")
    expect(messages).to_contain_text("移至“要闻”")
    expect(messages).to_contain_text("要闻两级审核流程")
    expect(messages).to_contain_text("总编辑终审")
    screenshot(page, "chief-told-review-restarts")
