"""发稿单 in the admin: the editor's side panel, the printable record and its PDF, and the list with CSV export.

Chief editors see every record (the list, filterable by date and channel, is theirs); the people named on a
record and whoever may edit the article see that article's records.
"""

import csv
from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from wagtail.admin.ui.side_panels import BaseSidePanel

from articles.models import ChannelIndexPage

from . import proofreading
from .models import ChainEntry, PublicationRecord
from .page_permissions import is_chief_editor
from .records import may_view

PER_PAGE = 50
SIDE_PANEL_RECORDS = 20
CSV_HEADER = [
    "发稿单编号",
    "发布时间",
    "栏目",
    "标题",
    "稿件编号",
    "修订版本",
    "内容哈希(SHA-256)",
    "撰稿人",
    "审核流程",
    "审核经过",
    "审校",
    "未经审核发布的原因",
    "更正说明",
    "留痕哈希",
]


def _local(value):
    """A stored moment (datetime or ISO text) as local 年-月-日 时:分, or ""."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _stage_line(stage):
    line = f"{stage['task']}:{stage['reviewer'] or '—'} {stage['decision_label']}({_local(stage['decided_at'])})"
    return line + (f"“{stage['comment']}”" if stage["comment"] else "")


def _check_line(check):
    findings = check["findings"]
    line = f"{check['stage']}:{len(findings)} 条" if findings else f"{check['stage']}:未发现问题"
    if check["acknowledged_by"]:
        line += f",{check['acknowledged_by']} 已核对"
    return line


def record_context(record):
    """What the printable record shows, with times in local time and findings in words."""
    entry = ChainEntry.objects.filter(kind=record.chain_kind, object_id=record.pk).first()
    stages = [dict(stage, decided_at_local=_local(stage["decided_at"])) for stage in record.stages]
    # Approvals of the same revision approved the same changes: shown once, with everyone who approved them.
    approved = {}
    for stage in stages:
        if stage["decision"] == "approved":
            approved.setdefault(stage["revision_id"], {"revision_id": stage["revision_id"], "by": [], "changes": ""})
            approved[stage["revision_id"]]["by"].append(f"{stage['reviewer']}({stage['task']})")
            approved[stage["revision_id"]]["changes"] = stage["changes"]
    checks = [
        dict(
            check,
            checked_at_local=_local(check["checked_at"]),
            acknowledged_at_local=_local(check["acknowledged_at"]),
            lines=[
                {"level": finding.get("level"), "text": proofreading.describe(finding)}
                for finding in check["findings"]
            ],
        )
        for check in record.checks
    ]
    return {
        "record": record,
        "published_at_local": _local(record.published_at),
        "stages": stages,
        "approved_changes": list(approved.values()),
        "checks": checks,
        "corrections": [dict(item, published_at_local=_local(item["published_at"])) for item in record.corrections],
        "entry": entry,
        "printed_at": _local(timezone.now()),
    }


def _viewable_record(request, record_id):
    record = get_object_or_404(PublicationRecord, pk=record_id)
    if not may_view(request.user, record):
        raise PermissionDenied
    return record


def record_detail(request, record_id):
    """The printable 发稿单 (the browser prints it; the PDF is made from the same page)."""
    record = _viewable_record(request, record_id)
    return TemplateResponse(request, "newsroom/records/record.html", record_context(record))


def render_pdf(html):
    """PDF bytes of a self-contained HTML page (WeasyPrint; the CJK fonts come from fonts-noto-cjk)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def record_pdf(request, record_id):
    record = _viewable_record(request, record_id)
    html = render_to_string("newsroom/records/record.html", {**record_context(record), "for_pdf": True}, request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"发稿单-{record.pk}.pdf")
    return response


class RecordFilterForm(forms.Form):
    date_from = forms.DateField(label="发布日期从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.TypedChoiceField(label="栏目", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = ChannelIndexPage.objects.order_by("path").values_list("pk", "title")
        self.fields["channel"].choices = [("", "全部栏目"), *channels]

    def filter(self, records):
        data = self.cleaned_data
        if data.get("date_from"):
            records = records.filter(published_at__date__gte=data["date_from"])
        if data.get("date_to"):
            records = records.filter(published_at__date__lte=data["date_to"])
        if data.get("channel"):
            records = records.filter(channel_id=data["channel"])
        return records


class _Echo:
    def write(self, value):
        return value


def csv_rows(records):
    # UTF-8 with a byte order mark: Excel then reads the Chinese correctly.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    hashes = {}
    for chunk_start in range(0, records.count(), 500):
        chunk = list(records[chunk_start : chunk_start + 500])
        hashes = dict(
            ChainEntry.objects.filter(
                kind=PublicationRecord.chain_kind, object_id__in=[record.pk for record in chunk]
            ).values_list("object_id", "entry_hash")
        )
        for record in chunk:
            yield writer.writerow(
                [
                    record.pk,
                    _local(record.published_at),
                    record.channel_title,
                    record.page_title,
                    record.page_id,
                    record.revision_id,
                    record.content_hash,
                    record.drafter_name,
                    record.workflow_name,
                    ";".join(_stage_line(stage) for stage in record.stages),
                    ";".join(_check_line(check) for check in record.checks),
                    record.unreviewed_reason,
                    ";".join(item["note"] for item in record.corrections),
                    hashes.get(record.pk, ""),
                ]
            )


def record_list(request):
    """发稿单 of every article, newest first, for chief editors; ``?export=csv`` downloads the filtered list."""
    if not is_chief_editor(request.user):
        raise PermissionDenied
    form = RecordFilterForm(request.GET or None)
    records = PublicationRecord.objects.order_by("-published_at", "-pk")
    if form.is_bound and form.is_valid():
        records = form.filter(records)
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(csv_rows(records), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"发稿单-{timezone.localdate():%Y%m%d}.csv")
        return response
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    query["export"] = "csv"
    return TemplateResponse(
        request,
        "newsroom/records/record_list.html",
        {"form": form, "page_obj": page, "csv_query": query.urlencode(), "filters": _without(request.GET, "p")},
    )


def _without(query, key):
    query = query.copy()
    query.pop(key, None)
    return query.urlencode()


class PublicationRecordsSidePanel(BaseSidePanel):
    """发稿单 in the article editor: one line per published version, each with its printable page and PDF."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = "显示或隐藏发稿单"
        icon_name = "doc-full"

    name = "publication_records"
    title = "发稿单"
    template_name = "newsroom/admin/side_panels/publication_records.html"
    order = 370

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        # One query for the editor: the newest records, and whether there are older ones.
        records = list(
            PublicationRecord.objects.filter(page_id=self.object.pk)
            .only("pk", "revision_id", "published_at")
            .order_by("-published_at", "-pk")[: SIDE_PANEL_RECORDS + 1]
        )
        context["records"] = [
            {"record": record, "published_at": _local(record.published_at)} for record in records[:SIDE_PANEL_RECORDS]
        ]
        context["more"] = len(records) > SIDE_PANEL_RECORDS
        context["chief"] = context["more"] and is_chief_editor(self.request.user)
        return context
