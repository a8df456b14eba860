"""审核期限 in the browser: an overdue review marked 已超时 in 待我审核; a chief editor changes 要闻's limit."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import TaskState

from articles.models import ChannelIndexPage
from newsroom.models import ReviewDeadline
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "汾河入黄口水质监测数据发布"


def overdue_review_in_yaowen():
    """A 要闻 article the reporter submitted 2 hours 40 minutes ago, assigned to 王强 (要闻 allows 2 hours)."""
    people = get_user_model().objects.in_bulk(["reporter", "wangqiang"], field_name="username")
    yaowen = ChannelIndexPage.objects.get(slug="yaowen")
    page = factories.article(
        yaowen, title=TITLE, publish=False, owner=people["reporter"], responsible_editor=people["wangqiang"]
    )
    page.get_workflow().start(page, people["reporter"])
    TaskState.objects.filter(workflow_state__object_id=str(page.pk)).update(
        started_at=timezone.now() - timedelta(hours=2, minutes=40)
    )


def test_reviewer_sees_an_overdue_article_marked_in_awaiting_review(log_in, screenshot):
    editor = log_in("wangqiang")
    overdue_review_in_yaowen()
    editor.reload()

    row = editor.get_by_role("region", name="待我审核").get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("已超时")
    expect(row).to_contain_text(re.compile(r"已超时 40 分"))
    screenshot(editor, "awaiting-review-overdue")


def test_chief_editor_changes_the_yaowen_limit(log_in, screenshot):
    chief = log_in("chenhua")
    chief.get_by_role("button", name="设置").click()
    chief.get_by_role("link", name="审核期限").click()
    expect(chief.get_by_role("heading", name="审核期限")).to_be_visible()
    screenshot(chief, "deadlines")

    yaowen_row = chief.get_by_role("row", name=re.compile("要闻.*责任编辑审核"))
    expect(yaowen_row).to_contain_text("2 小时")
    yaowen_row.get_by_role("link", name="要闻").click()
    chief.get_by_label("时限(小时)").fill("1.5")
    screenshot(chief, "edit-limit")
    chief.get_by_role("button", name="保存").click()

    expect(chief.get_by_role("row", name=re.compile("要闻.*责任编辑审核"))).to_contain_text("1 小时 30 分")
    deadline = ReviewDeadline.objects.get(channel__slug="yaowen", task__name="责任编辑审核")
    assert deadline.limit == timedelta(hours=1, minutes=30)
    screenshot(chief, "limit-changed")
