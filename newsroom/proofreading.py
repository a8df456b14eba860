"""审校 in the review: the content checks run on 提交审核 and on every approval, on the server.

A finding at level 拦截 (block) stops the submit or the approval; one at level 提示 (warn) lets a reviewer
approve only after ticking 已核对. Every check of a revision under review is kept (``CheckRecord``), with who
ran it and who acknowledged it, so the history shows what each reviewer was shown.
"""

import json
from types import SimpleNamespace

from django.utils import timezone
from wagtail.log_actions import LogFormatter, log
from wagtail.signals import workflow_submitted

from articles.text import person_name
from home.context_processors import site_name

from .checks import check_article
from .checks.engine import article_fields
from .checks.sources import word_lists
from .models import CheckLevel, CheckRecord
from .review_gate import is_article


class ChecksRefused(Exception):
    """A submit or approval the content checks do not allow; ``message`` says why, in Chinese."""

    def __init__(self, message, findings=()):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)


def own_outlets(request=None):
    """The site's own name as a 来源 (本网 and the like are the provenance rule's own)."""
    return [site_name(request)]


def findings_for(page, request=None):
    """The findings of the content checks for a page's text as it is now (saved or not)."""
    word_list, typo_list = word_lists()
    return check_article(page, own_outlets=own_outlets(request), word_list=word_list, typo_list=typo_list)


def revision_text(revision):
    """The texts the checks read, straight from a revision's content: ``revision.as_object()`` would also
    look up its owner, locale, tags and comments, ten queries the checks do not need."""
    content = revision.content
    body = content.get("body") or "[]"
    return SimpleNamespace(
        title=content.get("title", ""),
        subtitle=content.get("subtitle", ""),
        summary=content.get("summary", ""),
        body=SimpleNamespace(raw_data=json.loads(body) if isinstance(body, str) else body),
        source_name=content.get("source_name", ""),
        original_title=content.get("original_title", ""),
        original_author=content.get("original_author", ""),
    )


def blocking(findings):
    return [finding for finding in findings if _level(finding) == CheckLevel.BLOCK]


def warnings(findings):
    return [finding for finding in findings if _level(finding) == CheckLevel.WARN]


def _level(finding):
    return finding["level"] if isinstance(finding, dict) else finding.level


def describe(finding):
    """One line for a finding: “敏感词”“测试敏感词”(正文):reason,建议:…"""
    finding = finding if isinstance(finding, dict) else finding.as_dict()
    where = FIELD_NAMES.get(finding["field"], finding["field"])
    line = f"“{finding['text']}”({where}):{finding['reason']}" if finding["text"] else f"{where}:{finding['reason']}"
    if finding.get("suggestion") and finding["suggestion"] not in finding["reason"]:
        line += f",建议:{finding['suggestion']}"
    return line


FIELD_NAMES = {
    "title": "标题",
    "subtitle": "副标题",
    "summary": "摘要",
    "body": "正文",
    "source_name": "来源",
    "original_title": "原标题",
    "original_author": "原作者",
}


LEVEL_NAMES = {CheckLevel.BLOCK: "阻止提交", CheckLevel.WARN: "提示"}
RULE_NAMES = {
    "sensitive": "敏感词",
    "typo": "错别字",
    "ad_law": "广告法用语",
    "personal_data": "个人信息",
    "provenance": "转载来源",
    "punctuation": "标点",
}
# Characters of the finding's line shown on either side of it in the 审校 panel.
CONTEXT = 18
SUBMIT_REFUSED = "稿件有以下问题,修改后才能提交审核:"


def submit_refusal(page):
    """Why ``page`` (with the form's data) may not be submitted for review, or ''."""
    found = blocking(findings_for(page))
    if not found:
        return ""
    return SUBMIT_REFUSED + ";".join(describe(finding) for finding in found)


def refused_submit(form):
    """The checks' refusal when it is the only thing wrong with a submitted article form, else None: the
    article itself is fine to keep as a draft."""
    errors = form.errors
    formsets = getattr(form, "formsets", {}).values()
    # A formset's ``errors`` is one dict per form, so [{}] for a valid 相关新闻 row: count the errors instead.
    if list(errors) != ["__all__"] or any(formset.total_error_count() for formset in formsets):
        return None
    messages = list(errors["__all__"])
    if not messages or not all(message.startswith(SUBMIT_REFUSED) for message in messages):
        return None
    return ";".join(messages)


def shown_findings(page, request=None):
    """The findings for a page's text as the 审校 panel lists them: level and rule in words, and the match
    with the text around it on its line (``before``, ``text``, ``after``), to be highlighted."""
    texts = article_fields(page)
    return [shown(finding, texts.get(finding.field, "")) for finding in findings_for(page, request)]


def shown(finding, text):
    item = finding.as_dict()
    item.update(
        level_name=LEVEL_NAMES.get(finding.level, finding.level),
        rule_name=RULE_NAMES.get(finding.rule, finding.rule),
        field_name=FIELD_NAMES.get(finding.field, finding.field),
        before="",
        after="",
    )
    if finding.text and text[finding.start : finding.end] == finding.text:
        line_start = text.rfind("\n", 0, finding.start) + 1
        line_end = text.find("\n", finding.end)
        line_end = len(text) if line_end < 0 else line_end
        start, end = max(line_start, finding.start - CONTEXT), min(line_end, finding.end + CONTEXT)
        item["before"] = ("…" if start > line_start else "") + text[start : finding.start]
        item["after"] = text[finding.end : end] + ("…" if end < line_end else "")
    return item


class ProofreadLogFormatter(LogFormatter):
    """审校 in the page's history: which stage checked, what it found and who ticked 已核对."""

    label = "审校"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        line = f"{data.get('stage', '')}:{data.get('block', 0)} 条阻止提交/{data.get('warn', 0)} 条提示"
        if data.get("acknowledged_by"):
            line += f",{data['acknowledged_by']} 已核对"
        return line


def stage_name(stage):
    return "提交审核" if stage == "submit" else stage


def record(revision, stage, findings, user, acknowledged=False, page=None):
    """Keep what a check of ``revision`` found at ``stage`` (``submit`` or a review task's name), and say so
    in the page's history (审校), so the history shows what each reviewer was shown."""
    now = timezone.now()
    checked = CheckRecord.objects.create(
        revision=revision,
        stage=stage,
        findings=[finding.as_dict() for finding in findings],
        checked_by=user,
        acknowledged_by=user if acknowledged else None,
        acknowledged_at=now if acknowledged else None,
    )
    page = page if page is not None else revision.content_object
    if page is not None:
        log(
            instance=page,
            action="newsroom.proofread",
            user=user,
            revision=revision,
            data={
                "check_record": checked.pk,
                "stage": stage_name(stage),
                "block": len(blocking(findings)),
                "warn": len(warnings(findings)),
                "acknowledged_by": person_name(user) if acknowledged and user is not None else "",
            },
        )
    return checked


def check_approval(task_state, user, acknowledged):
    """Run the checks on the revision about to be approved and keep what they found with the approval; refuse
    (``ChecksRefused``) a block finding, and warn findings nobody acknowledged."""
    page = task_state.workflow_state.content_object
    revision = page.get_latest_revision()
    findings = findings_for(revision_text(revision))
    found_blocking, found_warnings = blocking(findings), warnings(findings)
    accepted = not found_blocking and (acknowledged or not found_warnings)
    record(revision, task_state.task.name, findings, user, acknowledged=accepted and bool(found_warnings), page=page)
    if found_blocking:
        raise ChecksRefused(
            "稿件有拦截级问题,不能审核通过,请退回修改:" + ";".join(describe(f) for f in found_blocking),
            findings,
        )
    if found_warnings and not acknowledged:
        raise ChecksRefused("稿件有需要核对的提示,请逐条核对后勾选“已核对”。", findings)
    return findings


def record_submission(sender, instance, user=None, **kwargs):
    """``workflow_submitted`` receiver: keep what the checks found in the revision submitted for review."""
    page = instance.content_object
    revision = page.get_latest_revision() if page is not None else None
    if revision is not None and is_article(page):
        record(revision, "submit", findings_for(revision_text(revision)), user, page=page)


def connect():
    workflow_submitted.connect(record_submission, dispatch_uid="qingshan-proofreading-submitted")
