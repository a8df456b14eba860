"""Without chromium the browser tests fail, saying what to install; they are never skipped."""

from pathlib import Path

from tests.e2e.conftest import missing_browser_problem


def test_missing_chromium_is_reported_with_the_install_command():
    problem = missing_browser_problem(Path("/nonexistent/chromium"))
    assert "Chromium is missing at /nonexistent/chromium" in problem
    assert "apt-get install -y chromium fonts-noto-cjk" in problem


def test_this_machine_has_chromium_and_a_chinese_font():
    assert missing_browser_problem() is None
