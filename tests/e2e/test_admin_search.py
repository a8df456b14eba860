"""A reporter searches the admin in Chinese: the 相关新闻 chooser's search box and the sidebar 搜索.

Both find an article from part of a word of its title and show the article's channel beside it.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOUND = "甲醛治理真的有用吗"  # a demo article in 科普
TYPED = "甲醛治"  # part of its title, cut 甲醛 / 治 by the segmenter
CHANNEL = "科普"


def test_reporter_finds_an_article_by_chinese_words_in_the_chooser_and_the_sidebar_search(log_in, screenshot):
    page = log_in("reporter")
    article = ArticlePage.objects.get(title=FOUND)
    writing = ArticlePage.objects.exclude(pk=article.pk).filter(owner__username="reporter").first()
    target = writing or ArticlePage.objects.exclude(pk=article.pk).first()
    page.goto(f"/admin/pages/{target.pk}/edit/")

    # The 相关新闻 chooser: search by its label, pick the result, see it chosen.
    page.get_by_role("button", name="增加 相关新闻").click()
    page.locator("#id_related_links-FORMS > *").last.get_by_role("button", name="选择一个页面").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("textbox", name="搜索").fill(TYPED)
    result = chooser.get_by_role("row", name=re.compile(FOUND))
    expect(result).to_be_visible()
    expect(result.get_by_role("link", name=CHANNEL, exact=True)).to_be_visible()
    screenshot(page, "chooser-search")
    result.get_by_role("link", name=FOUND, exact=True).click()
    expect(chooser).to_be_hidden()
    expect(page.locator("#id_related_links-FORMS > *").last.get_by_text(FOUND)).to_be_visible()

    # The sidebar 搜索: type, press Enter, find the article with its channel.
    page.goto("/admin/")
    sidebar_search = page.get_by_role("textbox", name="搜索", exact=True)
    sidebar_search.fill(TYPED)
    sidebar_search.press("Enter")
    row = page.get_by_role("row", name=re.compile(FOUND))
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name=CHANNEL, exact=True)).to_be_visible()
    screenshot(page, "sidebar-search")
