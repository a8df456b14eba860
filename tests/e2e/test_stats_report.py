"""A chief editor opens 采编统计 from the 报告 menu, sees its charts and downloads both exports."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_chief_editor_opens_the_statistics_sees_the_charts_and_downloads_both_exports(log_in, screenshot):
    page = log_in("chenhua")
    page.get_by_role("button", name="报告").click()
    page.get_by_role("link", name="采编统计").click()
    expect(page.get_by_role("heading", name="采编统计")).to_be_visible()

    for title in ("发稿量", "各记者发稿数", "各审核人审核用时中位数", "审核用时分布"):
        chart = page.get_by_role("img", name=re.compile(title))
        expect(chart).to_be_visible()
    # The demo's articles are drawn: the volume line has points, the reporters' chart has bars.
    expect(page.get_by_role("img", name=re.compile("发稿量")).locator("circle").first).to_be_visible()
    expect(page.get_by_role("img", name="各记者发稿数").locator("rect").first).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="按栏目")).to_be_visible()
    screenshot(page, "statistics-report")

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="导出 CSV").click()
    content = csv_download.value.path().read_bytes()
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert ["概览"] in rows and ["按栏目"] in rows

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="导出 Excel").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    overview = dict(workbook["概览"].iter_rows(min_row=2, values_only=True))
    assert overview["发稿数"] > 0
