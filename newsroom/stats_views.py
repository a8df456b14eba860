"""统计 in the admin (报告 → 采编统计): the newsroom's figures for chief editors, as charts, tables and exports.

One set of tables (``sections``) feeds the page, ``?export=csv`` (UTF-8 with a byte order mark, for Excel) and
``?export=xlsx`` (one sheet per table), so the three always agree. What each figure means is in newsroom/stats.py.
"""

import csv
import io

from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from articles.models import ChannelIndexPage
from articles.text import person_name

from . import charts
from .page_permissions import is_chief_editor
from .roles import CHIEF_EDITORS, EDITORS, REPORTERS
from .stats import PERIODS, StatsFilter, build_report, hours

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatsFilterForm(forms.Form):
    date_from = forms.DateField(label="日期从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None)
    person = forms.TypedChoiceField(
        label="人员", required=False, coerce=int, empty_value=None, help_text="其撰写的稿件,及其作出的审核决定"
    )
    period = forms.ChoiceField(label="时段", required=False, choices=[("", "自动"), *PERIODS.items()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = ChannelIndexPage.objects.order_by("path").values_list("pk", "title")
        self.fields["channel"].choices = [("", "全部栏目"), *channels]
        people = (
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[REPORTERS, EDITORS, CHIEF_EDITORS])
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["person"].choices = [("", "全部人员"), *((user.pk, person_name(user)) for user in people)]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        return data

    def stats_filter(self):
        """The filter from the fields that are valid; a wrong date range is left out rather than guessed."""
        if not self.is_bound:
            return StatsFilter()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        dates = not self.non_field_errors()
        return StatsFilter(
            date_from=data.get("date_from") if dates else None,
            date_to=data.get("date_to") if dates else None,
            channel_id=data.get("channel"),
            person_id=data.get("person"),
            period=data.get("period") or "",
        )

    def description(self):
        """The filter in words, for the exports' first table."""
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return []
        data = self.cleaned_data
        choices = {name: dict(self.fields[name].choices) for name in ("channel", "person")}
        return [
            ("日期从", _iso(data.get("date_from"))),
            ("至", _iso(data.get("date_to"))),
            ("栏目", choices["channel"].get(data.get("channel"), "全部栏目")),
            ("人员", choices["person"].get(data.get("person"), "全部人员")),
        ]


def _iso(day):
    return day.isoformat() if day else "不限"


def _rate(rate):
    return None if rate is None else round(rate * 100, 1)


def _mean(total, count):
    return round(total / count) if count else None


def _article_table(rows, first_heading):
    headings = [first_heading, "发稿数", "字数", "篇均字数", "原创", "转载", "图片"]
    return headings, [
        [
            row["name"],
            row["articles"],
            row["words"],
            _mean(row["words"], row["articles"]),
            row["originals"],
            row["reprints"],
            row["images"],
        ]
        for row in rows
    ]


def _review_table(rows, first_heading, name):
    headings = [first_heading, "审核决定数", "退回修改", "退回率(%)", "用时中位数(小时)", "用时P90(小时)"]
    return headings, [
        [name(row), row["decisions"], row["rejected"], _rate(row["rate"]), hours(row["median"]), hours(row["p90"])]
        for row in rows
    ]


def _volume_table(report, table, columns):
    headings = ["时段", *(name for _pk, name in columns), "合计"]
    rows = []
    for day, label in report.periods:
        counts = table.get(day, {})
        values = [counts.get(pk, 0) for pk, _name in columns]
        rows.append([label, *values, sum(counts.values())])
    return headings, rows


def sections(report, filter_description=()):
    """The report as tables: [(title, headings, rows)], numbers left as numbers."""
    totals, reviews = report.totals, report.review_totals
    period = PERIODS[report.period]
    overview = [
        ["发稿数", totals["articles"]],
        ["字数合计", totals["words"]],
        ["篇均字数", _mean(totals["words"], totals["articles"])],
        ["原创", totals["originals"]],
        ["转载", totals["reprints"]],
        ["原创占比(%)", _rate(totals["originals"] / totals["articles"]) if totals["articles"] else None],
        ["图片", totals["images"]],
        ["审核决定数", reviews["decisions"]],
        ["退回修改", reviews["rejected"]],
        ["退回率(%)", _rate(reviews["rate"])],
        ["审核用时中位数(小时)", hours(reviews["median"])],
        ["审核用时P90(小时)", hours(reviews["p90"])],
    ]
    result = []
    if filter_description:
        result.append(("筛选条件", ["条件", "值"], [[name, value] for name, value in filter_description]))
    result += [
        ("概览", ["指标", "数值"], overview),
        (f"发稿量({period}·栏目)", *_volume_table(report, report.volume_by_channel, report.channels)),
        (f"发稿量({period}·记者)", *_volume_table(report, report.volume_by_reporter, report.reporters)),
        ("按栏目", *_article_table(report.by_channel, "栏目")),
        ("按记者", *_article_table(report.by_reporter, "记者")),
        ("审核用时·按环节", *_review_table(report.by_stage, "审核环节", lambda row: row["task_name"])),
        ("审核用时·按审核人", *_review_table(report.by_reviewer, "审核人", lambda row: row["name"])),
        ("审核用时分布", ["用时", "审核决定数"], [[label, count] for label, count in report.distribution]),
    ]
    return result


def report_charts(report):
    """[(title, svg)]: volume over time (line), per person (bars), the review time distribution (histogram)."""
    period = PERIODS[report.period]
    labels = [label for _day, label in report.periods]
    series = [
        (name, [report.volume_by_channel.get(day, {}).get(pk, 0) for day, _label in report.periods])
        for pk, name in report.channels
    ]
    if len(series) > 1:
        series.append(("合计", [sum(report.volume_by_channel.get(day, {}).values()) for day, _ in report.periods]))
    reviewers = [(row["name"], hours(row["median"]) or 0) for row in report.by_reviewer]
    reporters = [(row["name"], row["articles"]) for row in report.by_reporter]
    titles = (f"发稿量({period})", "各记者发稿数", "各审核人审核用时中位数(小时)", "审核用时分布")
    drawn = (
        charts.line_chart("stats-volume", titles[0], labels, series),
        charts.bar_chart("stats-reporters", titles[1], reporters),
        charts.bar_chart("stats-reviewers", titles[2], reviewers, unit="小时"),
        charts.histogram("stats-review-times", titles[3], report.distribution),
    )
    return list(zip(titles, drawn, strict=True))


def _cell(value):
    return "" if value is None else value


class _Echo:
    def write(self, value):
        return value


def csv_response(tables, filename):
    """Every table one after another (title, headings, rows, a blank line), UTF-8 with a byte order mark."""
    output = io.StringIO()
    output.write("\ufeff")  # Excel then reads the Chinese correctly
    writer = csv.writer(output)
    for title, headings, rows in tables:
        writer.writerow([title])
        writer.writerow(headings)
        writer.writerows([[_cell(value) for value in row] for row in rows])
        writer.writerow([])
    response = HttpResponse(output.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def xlsx_response(tables, filename):
    """One sheet per table, named by its title."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headings, rows in tables:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append(headings)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.xlsx")
    return response


def _sheet_title(title):
    # Excel's sheet names: at most 31 characters, none of []:*?/\
    return "".join(" " if char in "[]:*?/\\" else char for char in title)[:31]


class NewsroomStatsView(WagtailAdminTemplateMixin, TemplateView):
    """报告 → 采编统计, for chief editors and administrators."""

    template_name = "newsroom/stats/report.html"
    page_title = "采编统计"
    header_icon = "table"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": "首页"},
        {"url": "", "label": "报告"},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not is_chief_editor(request.user):
            # A 403 that says why, in the admin's frame (Wagtail would turn PermissionDenied into a redirect).
            return TemplateResponse(request, "newsroom/stats/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        self.form = StatsFilterForm(request.GET or None)
        self.report = build_report(self.form.stats_filter())
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            tables = sections(self.report, self.form.description() or [("范围", "全部")])
            filename = f"采编统计-{timezone.localdate():%Y%m%d}"
            return (csv_response if export == "csv" else xlsx_response)(tables, filename)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            form=self.form,
            report=self.report,
            charts=report_charts(self.report),
            tables=sections(self.report),
            period_label=PERIODS[self.report.period],
            csv_query=_with(query, export="csv"),
            xlsx_query=_with(query, export="xlsx"),
        )
        return context


def _with(query, **values):
    query = query.copy()
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


class ChiefEditorReportMenuItem(MenuItem):
    def is_shown(self, request):
        return is_chief_editor(request.user)
