"""The admin in a browser reads in Chinese along the editorial path, including what its JavaScript writes.

The server-rendered pages are checked word by word in tests/admin/test_english_words.py; here Chromium shows
what only the browser makes: the sidebar, the block picker, the autosave indicator and the dialog that warns
of someone else's newer version.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.models import ArticlePage, ChannelIndexPage
from tests.admin.english import describe, english_words

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editorial_path_reads_in_chinese_in_the_browser(log_in, open_page, screenshot, settings):
    # Editors see each other's saves within a second instead of Wagtail's ten.
    settings.WAGTAIL_EDITING_SESSION_PING_INTERVAL = 1000
    problems = {}

    login = open_page()
    login.goto("/admin/login/")
    expect(login.get_by_role("heading", name="登录生态山西采编系统")).to_be_visible()
    read(login, "login", problems, screenshot)

    reporter = log_in("reporter")
    read(reporter, "reporter's dashboard", problems, screenshot)
    reporter.get_by_role("button", name="帮助").click()
    expect(reporter.get_by_role("button", name="快捷键")).to_be_visible()
    read(reporter, "help menu", problems, screenshot)
    reporter.keyboard.press("Escape")

    channel = ChannelIndexPage.objects.get(slug="kepu")
    reporter.goto(f"/admin/pages/{channel.pk}/")
    expect(reporter.get_by_role("heading", name=re.compile("科普"))).to_be_visible()
    read(reporter, "channel listing", problems, screenshot)

    reporter.goto(f"/admin/pages/add/articles/articlepage/{channel.pk}/")
    body = reporter.locator("[data-contentpath=body]").first
    body.get_by_title("插入内容块").last.click()
    expect(reporter.get_by_role("option", name="正文段落", exact=True)).to_be_visible()
    read(reporter, "new article with the block picker open", problems, screenshot)
    reporter.keyboard.press("Escape")
    reporter.get_by_role("textbox", name="标题*", exact=True).fill("太原市启动城区绿化提升行动")
    expect(reporter.locator("#w-autosave-indicator")).to_be_attached()
    read(reporter, "new article after typing (autosave indicator)", problems, screenshot)

    article = ArticlePage.objects.child_of(channel).live().filter(owner__username="reporter").first()
    reporter.goto(f"/admin/pages/{article.pk}/edit/")
    expect(reporter.get_by_role("textbox", name="标题*", exact=True)).to_have_value(article.title)

    chief = log_in("chenhua")
    chief.goto(f"/admin/pages/{article.pk}/edit/")
    chief.get_by_role("textbox", name="来源", exact=True).fill("山西日报")
    chief.get_by_role("button", name="保存草稿").click()
    expect(chief.locator(".messages")).to_contain_text(article.title)

    # The reporter's editor learns of the newer version, and saving over it asks first.
    expect(reporter.get_by_role("button", name=re.compile("保存了新版本"))).to_be_visible()
    reporter.get_by_role("button", name="保存草稿").click()
    dialog = reporter.get_by_role("dialog").filter(has_text="保存了新版本")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("link", name="查看最新版本")).to_be_visible()
    read(reporter, "editor warning of a newer version", problems, screenshot)

    assert not problems, "\n" + describe(problems)


def read(page, where, problems, screenshot):
    """Note the English words in what the page shows now (its rendered text, as a reader sees it)."""
    screenshot(page, re.sub(r"\W+", "-", where))
    usernames = get_user_model().objects.values_list("username", flat=True)
    words = english_words(page.locator("body").inner_text(), usernames)
    if words:
        problems[f"{where} ({page.url})"] = words
