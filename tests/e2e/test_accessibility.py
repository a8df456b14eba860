"""The reader site measured for accessibility (axe-core), walked with the keyboard alone, and its 无障碍 toolbar.

axe-core comes bundled with axe-playwright-python, so the measurement needs no network. Pages: home, a channel, the
demo's reference article (with a 更正说明), search results, the 404 page and /corrections/, each at desktop and
phone widths. What axe still reports below "serious" is listed, with the reason, in docs/accessibility.md.
"""

import json
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import ArticleCorrection, ArticlePage
from demo.management.commands.load_demo import CONTENT
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = {"serious", "critical"}
REFERENCE_SLUG = json.loads(CONTENT.read_text(encoding="utf-8"))["lead_story"]
TOOLBAR_BUTTONS = ["大字", "特大字", "高对比度", "阅读辅助线", "长者模式", "恢复默认"]


@pytest.fixture
def reference_article(demo_passwords):
    """The demo portal's reference article, corrected once so its 更正说明 box and /corrections/ have content."""
    article = ArticlePage.objects.get(slug=REFERENCE_SLUG)
    ArticleCorrection.objects.create(
        page=article, note="原文所写签约日期有误,应为 11 月 18 日。", published_at=timezone.now()
    )
    return article


@pytest.fixture
def article():
    """An article of a few paragraphs in 要闻, for the toolbar's modes (built directly: no demo needed)."""
    channel = factories.channel("要闻", slug="yaowen")
    text = "汾河流域湿地保护修复工程完工后,越冬候鸟的数量比去年同期明显增加,观鸟的市民也多了起来。"
    return factories.article(
        channel, "汾河湿地迎来越冬候鸟", "2022-11-20 09:00", body=factories.paragraphs(*[text] * 12)
    )


@pytest.fixture
def reader_pages(reference_article):
    """Each kind of page a reader meets, by name."""
    return {
        "home": "/",
        "channel": reference_article.get_parent().url,
        "article": reference_article.url,
        "search": "/search/?q=湿地",
        "not-found": "/no-such-page/",
        "corrections": "/corrections/",
    }


def serious_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_reader_pages_have_no_serious_or_critical_axe_violations(open_page, reader_pages, width):
    page = open_page()
    page.set_viewport_size(DESKTOP if width == "desktop" else PHONE)
    found = {}
    for name, url in reader_pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert not found, "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)


# Where a focused element sits, in the order a sighted reader meets those parts of the page.
REGION_OF_FOCUS = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const region = el.matches(".skip-link") ? "skip"
        : el.closest(".a11y-toolbar") ? "toolbar"
        : el.closest(".site-header [role=search]") ? "search"
        : el.closest(".channel-nav") ? "nav"
        : el.closest(".site-header") ? "header"
        : el.closest("main") ? "main"
        : el.closest("footer") ? "footer" : el.tagName;
    return {
        region: region,
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 20),
        top: box.top + window.scrollY,
        bottom: box.bottom + window.scrollY,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
    };
}"""
VISUAL_ORDER = ["skip", "toolbar", "header", "search", "nav", "main"]


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_text(open_page, article):
    page = open_page()
    page.goto(article.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    focus = page.evaluate(REGION_OF_FOCUS)
    assert focus["outline"] or focus["shadow"], focus
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate(REGION_OF_FOCUS)["region"] == "main"


def test_tab_order_follows_the_page_top_to_bottom_with_visible_focus(open_page, reference_article, screenshot):
    page = open_page()
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(reference_article.url)
        expect(page.get_by_role("button", name="大字", exact=True)).to_be_visible()
        walk = []
        while not walk or walk[-1]["region"] != "main":
            assert len(walk) < 60, walk
            page.keyboard.press("Tab")
            walk.append(page.evaluate(REGION_OF_FOCUS))
            if walk[-1]["region"] == "nav" and walk[-2]["region"] != "nav":
                screenshot(page, f"focus-on-first-channel-{viewport['width']}")
        regions = [stop["region"] for stop in walk]
        assert list(dict.fromkeys(regions)) == VISUAL_ORDER, regions
        assert regions == sorted(regions, key=VISUAL_ORDER.index), regions
        unmarked = [stop for stop in walk if not (stop["outline"] or stop["shadow"])]
        assert not unmarked, unmarked
        # Never back up to a line above: each stop reaches below the top of the one before it.
        for before, after in zip(walk, walk[1:], strict=False):
            assert after["bottom"] > before["top"], (viewport, before, after)


def toolbar_reader(open_page, article):
    page = open_page()
    page.goto(article.url)
    expect(page.get_by_role("region", name="无障碍浏览")).to_be_visible()
    return page


def computed(page, selector, *properties):
    return page.locator(selector).first.evaluate(
        "(el, names) => names.map(name => getComputedStyle(el)[name])", list(properties)
    )


def px(value):
    return float(value.removesuffix("px"))


def test_large_text_has_two_steps_and_survives_a_reload(open_page, article, screenshot):
    page = toolbar_reader(open_page, article)
    text = ".article-body p"
    (normal,) = computed(page, text, "fontSize")
    page.get_by_role("button", name="大字", exact=True).click()
    expect(page.get_by_role("button", name="大字", exact=True)).to_have_attribute("aria-pressed", "true")
    (large,) = computed(page, text, "fontSize")
    page.get_by_role("button", name="特大字").click()
    expect(page.get_by_role("button", name="大字", exact=True)).to_have_attribute("aria-pressed", "false")
    (larger,) = computed(page, text, "fontSize")
    assert px(normal) < px(large) < px(larger), (normal, large, larger)

    page.reload()
    expect(page.get_by_role("button", name="特大字")).to_have_attribute("aria-pressed", "true")
    assert computed(page, text, "fontSize") == [larger]
    screenshot(page, "larger-text")
    page.get_by_role("button", name="恢复默认").click()
    assert computed(page, text, "fontSize") == [normal]
    page.reload()
    assert computed(page, text, "fontSize") == [normal]


def test_high_contrast_shows_light_text_on_black_passes_axe_and_survives_a_reload(open_page, article, screenshot):
    page = toolbar_reader(open_page, article)
    assert computed(page, "body", "backgroundColor") != ["rgb(0, 0, 0)"]
    page.get_by_role("button", name="高对比度").click()
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    assert computed(page, "body", "backgroundColor", "color") == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert computed(page, ".article-body p", "color") == ["rgb(255, 255, 255)"]
    assert computed(page, ".channel-nav a", "color") == ["rgb(255, 255, 0)"]
    screenshot(page, "high-contrast")
    assert serious_violations(page) == []


def test_reading_guide_line_follows_the_pointer_and_survives_a_reload(open_page, article, screenshot):
    page = toolbar_reader(open_page, article)
    guide = page.locator(".a11y-guide-line")
    expect(guide).to_be_hidden()
    page.get_by_role("button", name="阅读辅助线").click()
    page.reload()
    expect(page.get_by_role("button", name="阅读辅助线")).to_have_attribute("aria-pressed", "true")
    for y in (300, 500):
        page.mouse.move(400, y)
        expect(guide).to_be_visible()
        box = guide.bounding_box()
        assert y <= box["y"] <= y + 40, (y, box)
        assert box["width"] == page.viewport_size["width"], box
    screenshot(page, "reading-guide")
    # The line never takes a click meant for the text under it.
    assert computed(page, ".a11y-guide-line", "pointerEvents") == ["none"]


def test_elder_mode_enlarges_text_and_spacing_and_survives_a_reload(open_page, article, screenshot):
    page = toolbar_reader(open_page, article)
    text = ".article-body p"
    before = computed(page, text, "fontSize", "lineHeight", "letterSpacing")
    page.get_by_role("button", name="长者模式").click()
    page.reload()
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    size, line_height, letter_spacing = computed(page, text, "fontSize", "lineHeight", "letterSpacing")
    assert px(size) > px(before[0]), (before, size)
    assert px(line_height) / px(size) > px(before[1]) / px(before[0]), (before, line_height)
    assert before[2] == "normal" and px(letter_spacing) > 0, (before, letter_spacing)
    screenshot(page, "elder-mode")


def test_choices_stay_in_the_browser_and_the_served_page_is_the_same_for_everyone(open_page, site_url, article):
    def served():
        with urllib.request.urlopen(site_url + article.url) as response:
            return response.read()

    before = served()
    page = toolbar_reader(open_page, article)
    for name in ["特大字", "高对比度", "阅读辅助线", "长者模式"]:
        page.get_by_role("button", name=name).click()
    response = page.reload()
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "true")
    assert response.body() == before
    assert served() == before
    assert page.context.cookies() == []
    saved = json.loads(page.evaluate("localStorage.getItem('qingshan-a11y')"))
    assert saved == {"text": 2, "contrast": True, "guide": True, "elder": True}


def test_without_javascript_the_toolbar_stays_hidden_and_the_page_reads_normally(browser, site_url, article):
    context = browser.new_context(base_url=site_url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(article.url)
        expect(page.get_by_role("heading", level=1, name=article.title)).to_be_visible()
        for name in TOOLBAR_BUTTONS:
            expect(page.get_by_role("button", name=name)).to_have_count(0)
        expect(page.get_by_role("link", name="跳到正文")).to_have_count(1)
    finally:
        context.close()
