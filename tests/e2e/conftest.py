"""Browser end-to-end tests: Playwright driving Debian's chromium against pytest-django's live server.

Chromium is required, not optional: without it these tests fail with a message saying how to install it.
"""

import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from demo.management.commands.load_demo import CONTENT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
INSTALL_HINT = "install it with `apt-get install -y chromium fonts-noto-cjk` (.ci/run does this before the tests)"
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000


def missing_browser_problem(chromium=CHROMIUM):
    """Why the browser tests cannot run here, or None when chromium and a Chinese font are installed."""
    if not chromium.is_file():
        return f"Chromium is missing at {chromium}: {INSTALL_HINT}."
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return f"fontconfig (fc-list) is missing, so Chinese text cannot render: {INSTALL_HINT}."
    fonts = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    if not fonts.strip():
        return f"No Chinese font is installed (fonts-noto-cjk), so Chinese text would render as boxes: {INSTALL_HINT}."
    return None


@pytest.fixture
def playwright(monkeypatch):
    problem = missing_browser_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; the test's own ORM calls are
    # still synchronous, so Django's guard against ORM use inside an event loop is lifted for this test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as driver:
        yield driver
        # While the loop runs, Django keeps the test's database connection per asyncio context, apart from
        # the one pytest-django opened; close it, or PostgreSQL refuses to drop the test database.
        connections.close_all()


@pytest.fixture
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def site_url(live_server, settings):
    """The live server's address; it also serves uploaded media, as the web server in front of gunicorn does."""
    settings.ROOT_URLCONF = "tests.e2e.urls"
    return live_server.url


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def open_page(request, browser, site_url, screenshot):
    """Open a new browser window (its own cookies) on the live site: ``open_page()`` for a reader."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=site_url, locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        return page

    yield open_page
    for number, context in enumerate(contexts, start=1):
        if getattr(request.node, "e2e_failed", False):
            for page in context.pages:
                screenshot(page, f"failure-window-{number}")
        context.close()


class Screenshots:
    """Numbered full-page screenshots of one test's key screens, in tests/e2e/screenshots/<test name>/."""

    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def __call__(self, page, name):
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        return path


@pytest.fixture
def screenshot(request):
    return Screenshots(SCREENSHOTS / re.sub(r"[^\w-]+", "_", request.node.name))


@pytest.fixture
def demo_passwords():
    """The demo portal (``load_demo``): channels, articles and the newsroom's accounts, as {username: password}."""
    call_command("load_demo", stdout=StringIO())
    accounts = json.loads(CONTENT.read_text(encoding="utf-8"))["accounts"]
    return {account["username"]: account["password"] for account in accounts}


@pytest.fixture
def log_in(demo_passwords, open_page):
    """``log_in(username)``: a new browser window signed in to the admin as that demo account, on its dashboard."""
    from playwright.sync_api import expect

    def log_in(username):
        page = open_page()
        page.goto("/admin/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(demo_passwords[username])
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("region", name="我的稿件")).to_be_visible()
        return page

    return log_in
