"""审校 in the review: the content checks run on 提交审核 and on every approval, on the server.

A finding at level 拦截 (block) stops the submit or the approval; one at level 提示 (warn) lets a reviewer
approve only after ticking 已核对. Every check of a revision under review is kept (``CheckRecord``), with who
ran it and who acknowledged it, so the history shows what each reviewer was shown.
"""

import json
from types import SimpleNamespace

from django.utils import timezone
from wagtail.signals import workflow_submitted

from home.context_processors import site_name

from .checks import check_article
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


def submit_refusal(page):
    """Why ``page`` (with the form's data) may not be submitted for review, or ''."""
    found = blocking(findings_for(page))
    if not found:
        return ""
    return "稿件有以下问题,修改后才能提交审核:" + ";".join(describe(finding) for finding in found)


def record(revision, stage, findings, user, acknowledged=False):
    """Keep what a check of ``revision`` found at ``stage`` (``submit`` or a review task's name)."""
    now = timezone.now()
    return CheckRecord.objects.create(
        revision=revision,
        stage=stage,
        findings=[finding.as_dict() for finding in findings],
        checked_by=user,
        acknowledged_by=user if acknowledged else None,
        acknowledged_at=now if acknowledged else None,
    )


def check_approval(task_state, user, acknowledged):
    """Run the checks on the revision about to be approved and keep what they found with the approval; refuse
    (``ChecksRefused``) a block finding, and warn findings nobody acknowledged."""
    revision = task_state.workflow_state.content_object.get_latest_revision()
    findings = findings_for(revision_text(revision))
    found_blocking, found_warnings = blocking(findings), warnings(findings)
    accepted = not found_blocking and (acknowledged or not found_warnings)
    record(revision, task_state.task.name, findings, user, acknowledged=accepted and bool(found_warnings))
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
    revision = instance.content_object.get_latest_revision() if instance.content_object else None
    if revision is not None and is_article(revision.content_object):
        record(revision, "submit", findings_for(revision_text(revision)), user)


def connect():
    workflow_submitted.connect(record_submission, dispatch_uid="qingshan-proofreading-submitted")
