"""A reader opens the WeChat QR code of an article, and prints the article: the printout keeps the article and its
address and leaves out the navigation, sharing, lists and footer."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFERENCE_ARTICLE = "/yaowen/shouhu-lvshui-qingshan-dangjian-lianmeng/"


@pytest.fixture
def reader(open_page):
    call_command("load_demo", stdout=StringIO())
    return open_page()


def test_reader_opens_the_wechat_qr_code_without_any_outside_host(reader, screenshot):
    requested = []
    reader.on("request", lambda request: requested.append(request.url))
    reader.goto(REFERENCE_ARTICLE)
    qr = reader.get_by_role("img", name="本文网址的二维码")
    expect(qr).to_be_hidden()

    reader.get_by_text("微信", exact=True).click()

    expect(qr).to_be_visible()
    expect(reader.get_by_text("扫一扫")).to_be_visible()
    canonical = reader.locator('link[rel="canonical"]').get_attribute("href")
    expect(reader.locator(".share-url")).to_have_text(canonical)
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150, box  # big enough to scan from the screen
    screenshot(reader, "wechat-qr-open")
    hosts = {urlsplit(url).netloc for url in requested}
    assert hosts == {urlsplit(reader.url).netloc}, hosts


def test_printed_article_keeps_title_source_editor_and_address_without_navigation(reader, screenshot):
    reader.goto(REFERENCE_ARTICLE)
    navigation = reader.get_by_role("navigation", name="栏目")
    expect(navigation).to_be_visible()
    address = reader.get_by_text("本文网址:")
    expect(address).to_be_hidden()

    reader.emulate_media(media="print")

    expect(navigation).to_be_hidden()
    for hidden in [".share", ".breadcrumb", ".sidebar", ".prev-next", ".site-footer", ".site-header"]:
        expect(reader.locator(hidden)).to_be_hidden()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("守护绿水青山")
    expect(reader.locator(".article-meta")).to_contain_text("来源: 山西省自然资源厅网站")
    expect(reader.get_by_text("责任编辑:")).to_be_visible()
    canonical = reader.locator('link[rel="canonical"]').get_attribute("href")
    expect(address).to_have_text(f"本文网址:{canonical}")
    screenshot(reader, "print-media")

    # The text as laid out for paper (innerText leaves out what the print stylesheet hides).
    printed = "".join(reader.locator("body").inner_text().split())
    for kept in ["守护绿水青山", "山西省自然资源厅网站", "责任编辑:", f"本文网址:{canonical}"]:
        assert kept in printed, kept
    for dropped in ["网站首页", "搜索", "相关新闻", "微博", "晋ICP备", "无障碍浏览"]:
        assert dropped not in printed, dropped


def test_administrator_fills_the_police_record_and_readers_see_it_linked(log_in, open_page, screenshot):
    from wagtail.models import Site

    admin = log_in("admin")
    admin.goto(f"/admin/settings/home/sitesettings/{Site.objects.get(is_default_site=True).pk}/")
    admin.get_by_role("textbox", name="公安机关备案号").fill("晋公网安备 14010502000999号")
    admin.get_by_role("textbox", name="网站标识码").fill("1401000099")
    admin.get_by_role("textbox", name="党政机关标识链接").scroll_into_view_if_needed()
    screenshot(admin, "settings-marks")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator(".messages")).to_contain_text("已更新")

    reader = open_page()
    reader.goto(REFERENCE_ARTICLE)
    footer = reader.get_by_role("contentinfo")
    expect(footer).to_contain_text("网站标识码:1401000099")
    link = footer.get_by_role("link", name="晋公网安备 14010502000999号")
    expect(link).to_have_attribute("href", "https://beian.mps.gov.cn/#/query/webSearch?code=14010502000999")
    screenshot(reader, "footer-marks")
