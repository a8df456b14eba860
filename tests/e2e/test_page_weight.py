"""The reference article on a phone, first visit: what it costs a reader (Largest Contentful Paint, bytes, requests).

The page stays under 150 KB on the wire, and the images below the fold wait until the reader scrolls to them.
The figures are printed (``pytest -s``) for the performance notes.
"""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REFERENCE_ARTICLE = "/yaowen/shouhu-lvshui-qingshan-dangjian-lianmeng/"
PAGE_WEIGHT_LIMIT = 150 * 1024
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
    "locale": "zh-CN",
}

# Largest Contentful Paint as the page reports it, kept from the first paint on (the observer is installed by
# the browser driver before any of the page's own code, so the page's CSP does not apply to it).
RECORD_LCP = """
window.__lcp = null;
new PerformanceObserver((list) => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    window.__lcp = {time: last.startTime, element: last.element ? last.element.tagName : null, url: last.url};
}).observe({type: "largest-contentful-paint", buffered: true});
"""

# Every <img> with where it sits and the addresses it may load (its src, srcset and its <picture>'s sources).
IMAGES = """
() => Array.from(document.images).map((img) => {
    const sources = [img.getAttribute("src"), img.getAttribute("srcset") || ""];
    if (img.parentElement && img.parentElement.tagName === "PICTURE") {
        img.parentElement.querySelectorAll("source").forEach((s) => sources.push(s.getAttribute("srcset") || ""));
    }
    const urls = sources.filter(Boolean).flatMap((s) => s.split(",")).map((c) => c.trim().split(/\\s+/)[0])
        .map((u) => new URL(u, location.href).pathname);
    return {
        alt: img.alt,
        top: img.getBoundingClientRect().top + window.scrollY,
        loading: img.getAttribute("loading"),
        urls: urls,
    };
})
"""


@pytest.fixture
def phone(browser, site_url, screenshot, request):
    """A new phone-sized browser window on the demo portal."""
    call_command("load_demo", stdout=StringIO())
    context = browser.new_context(base_url=site_url, **PHONE)
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    yield page
    if getattr(request.node, "e2e_failed", False):
        screenshot(page, "failure")
    context.close()


def test_reference_article_on_a_phone_loads_under_150_kb_with_lazy_images_below_the_fold(phone, screenshot):
    finished = []
    phone.on("requestfinished", lambda request: finished.append(request))
    phone.add_init_script(RECORD_LCP)

    response = phone.goto(REFERENCE_ARTICLE, wait_until="load")
    assert response.status == 200
    expect(phone.get_by_role("heading", level=1)).to_contain_text("守护绿水青山")
    phone.wait_for_load_state("networkidle")
    phone.wait_for_function("window.__lcp !== null")
    lcp = phone.evaluate("window.__lcp")
    first_load = list(finished)
    sizes = [(request, request.sizes()) for request in first_load]
    transferred = sum(size["responseHeadersSize"] + size["responseBodySize"] for _, size in sizes)
    screenshot(phone, "phone-first-view")

    print(f"\nReference article, phone (390×844 @3x), first load: LCP {lcp['time']:.0f} ms ({lcp['element']})")
    print(f"  {len(first_load)} requests, {transferred / 1024:.1f} KB transferred")
    for request, size in sizes:
        weight = (size["responseHeadersSize"] + size["responseBodySize"]) / 1024
        print(f"  {weight:7.1f} KB  {request.resource_type:<10} {urlsplit(request.url).path}")

    assert transferred < PAGE_WEIGHT_LIMIT, f"{transferred / 1024:.1f} KB transferred on first load"
    fetched = {urlsplit(request.url).path for request in first_load}
    assert not any(urlsplit(request.url).hostname != urlsplit(phone.url).hostname for request in first_load)

    fold = PHONE["viewport"]["height"]
    below_fold = [image for image in phone.evaluate(IMAGES) if image["top"] > fold]
    assert below_fold, "the reference article has images below the fold (推荐位)"
    for image in below_fold:
        assert image["loading"] == "lazy", f"{image['alt']!r} below the fold loads eagerly"
        assert not fetched & set(image["urls"]), f"{image['alt']!r} was fetched before the reader scrolled"

    # Scrolling to them brings them in.
    promoted = phone.get_by_role("region", name="推荐").get_by_role("img").first
    promoted.scroll_into_view_if_needed()
    expect(promoted).to_have_js_property("complete", True)
    phone.wait_for_function("(img) => img.naturalWidth > 0", arg=promoted.element_handle())
    fetched = {urlsplit(request.url).path for request in finished}
    assert fetched & set(next(image["urls"] for image in below_fold if image["alt"] == promoted.get_attribute("alt")))


def test_the_site_icon_is_declared_and_served_and_nothing_of_the_first_visit_fails(phone):
    failed = []
    phone.on("response", lambda response: response.status >= 400 and failed.append((response.status, response.url)))
    phone.goto(REFERENCE_ARTICLE, wait_until="load")
    phone.wait_for_load_state("networkidle")
    assert not failed

    icon = phone.request.get(phone.locator("link[rel=icon]").get_attribute("href"))
    assert icon.ok
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.body()
