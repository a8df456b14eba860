"""发稿单 and the tamper-evident chain of publication records and review decisions.

When an article goes live, a ``PublicationRecord`` keeps who wrote it, every stage of the review that published
it (reviewer, decision, time, comment, and the changes each approver approved, as text), the content checks'
findings with who ticked 已核对, the 更正说明 that went live with it, and a SHA-256 of the published revision's
content. Each review decision is kept as a ``ReviewDecision`` when it is taken. Every record joins one hash
chain (``ChainEntry``): a link holds the hash of each of the record's fields, of them all, and of the link
before it. ``verify`` walks the chain and names the first link that no longer matches, so a record edited in
the database afterwards is found.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState
from wagtail.signals import page_published, task_approved, task_rejected

from articles.models import ArticleCorrection
from articles.publishing import trusted_publication
from articles.text import person_name

from .models import ChainEntry, ChainHead, CheckRecord, PublicationRecord, ReviewDecision
from .page_permissions import is_chief_editor
from .review_gate import is_article

GENESIS = "0" * 64  # the "previous hash" of the first link
RECORD_MODELS = {model.chain_kind: model for model in (PublicationRecord, ReviewDecision)}
DECISIONS = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)


# Hashing: one canonical JSON text per value, so the same record always hashes the same on any database.


def _canonical_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def canonical_json(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canonical_value)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def revision_hash(revision):
    """SHA-256 of a revision's stored content (canonical JSON): the exact version that was published."""
    return sha256(canonical_json(revision.content))


def field_digests(record):
    return {name: sha256(canonical_json(value)) for name, value in record.hashed_content().items()}


def link_hash(previous_hash, kind, object_id, content_hash):
    return sha256(f"{previous_hash}\n{kind}\n{object_id}\n{content_hash}")


def append(record):
    """Add a saved record to the end of the chain.

    The head row is locked first (``select_for_update``; on SQLite the write itself serialises), so two
    publications at once queue up behind each other instead of both linking to the same predecessor.
    """
    with transaction.atomic():
        ChainHead.objects.bulk_create([ChainHead(pk=1, length=0, entry_hash=GENESIS)], ignore_conflicts=True)
        head = ChainHead.objects.select_for_update().get(pk=1)
        # Hash the record as the database returns it, which is what verification will read.
        stored = type(record).objects.get(pk=record.pk)
        digests = field_digests(stored)
        content_hash = sha256(canonical_json(digests))
        entry = ChainEntry.objects.create(
            kind=record.chain_kind,
            object_id=record.pk,
            digests=digests,
            content_hash=content_hash,
            previous_hash=head.entry_hash,
            entry_hash=link_hash(head.entry_hash, record.chain_kind, record.pk, content_hash),
        )
        head.length += 1
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["length", "entry_hash"])
    return entry


# Review decisions, written as each stage finishes.


def record_decision(task_state):
    """Keep a finished stage's decision (once per task state) and chain it."""
    if task_state.status not in DECISIONS or ReviewDecision.objects.filter(task_state_id=task_state.pk).exists():
        return None
    workflow_state = task_state.workflow_state
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return None
    revision = task_state.revision
    decision = ReviewDecision.objects.create(
        task_state_id=task_state.pk,
        workflow_state_id=workflow_state.pk,
        page_id=int(workflow_state.object_id),
        page_title=(revision.content.get("title", "") if revision else "") or str(workflow_state.content_object),
        revision_id=task_state.revision_id,
        task_name=task_state.task.name,
        decision=task_state.status,
        decided_by_id=task_state.finished_by_id,
        decided_by_name=person_name(task_state.finished_by),
        decided_at=task_state.finished_at,
        comment=task_state.comment or "",
    )
    append(decision)
    return decision


def _decision_taken(sender, instance, user=None, **kwargs):
    record_decision(instance)


# Publication records, written when an article goes live.


def approving_review(page, revision):
    """The finished review whose stages approved ``revision`` (the one that published it), or None."""
    return (
        WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
            status=WorkflowState.STATUS_APPROVED,
            task_states__revision=revision,
            task_states__status=TaskState.STATUS_APPROVED,
        )
        .select_related("workflow", "requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )


def previously_published_revision(page, revision):
    """What readers saw before ``revision``: the last other revision published, or None for a first publication."""
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None


class _DiffText(HTMLParser):
    """Wagtail's compare HTML as text: additions in 〔+ +〕, deletions in 〔- -〕, blocks on lines of their own."""

    MARKS = {"addition": ("〔+", "+〕"), "deletion": ("〔-", "-〕")}
    BLOCKS = {"p", "div", "li", "br", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
    VOID = {"br", "img", "hr", "input", "wbr"}  # no end tag follows: nothing to close

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.closing = [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        mark = next((self.MARKS[name] for name in classes if name in self.MARKS), None)
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag in self.VOID:
            return
        self.parts.append(mark[0] if mark else "")
        self.closing.append(mark[1] if mark else "")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.closing:
            self.parts.append(self.closing.pop())
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def diff_text(html):
    parser = _DiffText()
    parser.feed(str(html))
    parser.close()
    return parser.text()


def changes_as_text(page, before, after):
    """The changes from ``before`` to ``after`` (page objects), field by field, as the admin's compare view shows
    them (the same comparison classes), written as text."""
    panel = page.get_edit_handler().get_bound_panel(instance=page, request=None, form=None)
    sections = []
    for comparison_class in panel.get_comparison():
        comparison = comparison_class(before, after)
        if comparison.has_changed():
            sections.append(f"【{comparison.field_label()}】\n{comparison_text(comparison)}")
    return "\n".join(sections)


def comparison_text(comparison):
    """One field's changes; for child objects (相关新闻), one line per object added, removed or changed."""
    if not getattr(comparison, "is_child_relation", False):
        return diff_text(comparison.htmldiff())
    lines = []
    for child in comparison.get_child_comparisons():
        fields = child.get_field_comparisons()
        if child.is_addition() or child.is_deletion():
            # Both sides are the same object here, so the values carry no marks of their own.
            opening, closing = _DiffText.MARKS["addition" if child.is_addition() else "deletion"]
            values = "；".join(diff_text(field.htmldiff()) for field in fields)
            lines.append(f"{opening}{values}{closing}")
        elif child.has_changed():
            lines.append("；".join(diff_text(field.htmldiff()) for field in fields if field.has_changed()))
    return "\n".join(lines)


def approved_changes(page, revision, base):
    from .review_views import blank_article

    before = base.as_object() if base is not None else blank_article(page)
    return changes_as_text(page, before, revision.as_object())


def review_stages(page, workflow_state, base):
    """Every decision of the review, in order: stage, reviewer, decision, time, comment, and what an approval
    approved (the changes since ``base``, what readers saw before, or the whole text)."""
    stages, diffs = [], {}
    task_states = (
        TaskState.objects.filter(workflow_state=workflow_state, status__in=DECISIONS)
        .select_related("task", "finished_by", "revision")
        .order_by("finished_at", "pk")
    )
    labels = dict(ReviewDecision.Decision.choices)
    for task_state in task_states:
        stage = {
            "task": task_state.task.name,
            "reviewer_id": task_state.finished_by_id,
            "reviewer": person_name(task_state.finished_by),
            "decision": task_state.status,
            "decision_label": labels[task_state.status],
            "decided_at": _iso(task_state.finished_at),
            "comment": task_state.comment or "",
            "revision_id": task_state.revision_id,
            "changes": "",
        }
        if task_state.status == TaskState.STATUS_APPROVED and task_state.revision is not None:
            if task_state.revision_id not in diffs:
                diffs[task_state.revision_id] = approved_changes(page, task_state.revision, base)
            stage["changes"] = diffs[task_state.revision_id]
        stages.append(stage)
    return stages


STAGE_NAMES = {"submit": "提交审核"}


def check_results(revision):
    """The content checks run on ``revision``: at which stage, by whom, what they found, who ticked 已核对."""
    records = (
        CheckRecord.objects.filter(revision=revision)
        .select_related("checked_by", "acknowledged_by")
        .order_by("created_at", "pk")
    )
    return [
        {
            "stage": STAGE_NAMES.get(record.stage, record.stage),
            "checked_by": person_name(record.checked_by),
            "checked_at": _iso(record.created_at),
            "findings": record.findings,
            "acknowledged_by_id": record.acknowledged_by_id,
            "acknowledged_by": person_name(record.acknowledged_by),
            "acknowledged_at": _iso(record.acknowledged_at),
        }
        for record in records
    ]


def published_corrections(page, revision, base):
    """The 更正说明 that went live with ``revision``: its notes that ``base`` (what readers saw before) lacked,
    with the date each went live, newest first."""
    seen = {item.get("key") for item in (base.content.get("corrections") or [])} if base is not None else set()
    new = [item for item in (revision.content.get("corrections") or []) if item.get("key") not in seen]
    dates = dict(
        ArticleCorrection.objects.filter(page_id=page.pk, key__in=[item["key"] for item in new]).values_list(
            "key", "published_at"
        )
    )
    return [
        {"key": item["key"], "note": item["note"], "published_at": _iso(dates.get(uuid.UUID(item["key"])))}
        for item in new
    ]


def _iso(moment):
    return _canonical_value(moment) if moment is not None else ""


@transaction.atomic
def record_publication(page, revision):
    """Write and chain the 发稿单 of ``revision``, which has just gone live."""
    workflow_state = approving_review(page, revision)
    base = previously_published_revision(page, revision)
    if workflow_state is not None:
        # The stages' decisions join the chain before the record that cites them.
        for task_state in TaskState.objects.filter(workflow_state=workflow_state, status__in=DECISIONS).order_by(
            "finished_at", "pk"
        ):
            record_decision(task_state.specific)
        drafter = workflow_state.requested_by
        stages = review_stages(page, workflow_state, base)
    else:
        drafter, stages = revision.user, []
    channel = page.get_parent()
    record = PublicationRecord.objects.create(
        page_id=page.pk,
        page_title=revision.content.get("title") or page.title,
        url_path=page.url_path,
        channel_id=channel.pk if channel else None,
        channel_title=channel.title if channel else "",
        revision_id=revision.pk,
        # As stored: the database's JSON (dates in milliseconds) is what a later check reads.
        content_hash=revision_hash(Revision.objects.only("content").get(pk=revision.pk)),
        drafter_id=drafter.pk if drafter else None,
        drafter_name=person_name(drafter),
        published_at=page.last_published_at,
        workflow_name=workflow_state.workflow.name if workflow_state else "",
        unreviewed_reason="" if workflow_state else (trusted_publication() or "未经审核"),
        stages=stages,
        checks=check_results(revision),
        corrections=published_corrections(page, revision, base),
    )
    append(record)
    return record


def _page_published(sender, instance, revision, alias=False, **kwargs):
    # A revision scheduled for later is recorded when it goes live (publish_scheduled publishes it then).
    if alias or not is_article(instance) or not instance.live or instance.live_revision_id != revision.pk:
        return
    record_publication(instance, revision)


def connect():
    page_published.connect(_page_published, dispatch_uid="qingshan-publication-record")
    task_approved.connect(_decision_taken, dispatch_uid="qingshan-review-decision-approved")
    task_rejected.connect(_decision_taken, dispatch_uid="qingshan-review-decision-rejected")


# Who may read the records.


def may_view(user, record):
    """Chief editors, the people named on the record (drafter, reviewers), and whoever may edit the article."""
    if is_chief_editor(user) or user.pk in record.people_ids():
        return True
    page = Page.objects.filter(pk=record.page_id).first()
    return page is not None and page.specific_deferred.permissions_for_user(user).can_edit()


# Verification.


@dataclass
class Verification:
    """The result of walking the chain: how many links held, and the first broken one (None when intact)."""

    checked: int
    head_hash: str
    broken_entry: int | None = None
    problem: str = ""

    @property
    def intact(self):
        return self.broken_entry is None and not self.problem


def _describe(entry, record):
    kind = entry.get_kind_display()
    if record is None:
        return f"{kind} #{entry.object_id}"
    return f"{kind} #{record.pk}({record})"


def verify(batch=500):
    """Walk the chain from its start; stop at the first link that no longer matches what it records."""
    previous = GENESIS
    checked = 0
    last_pk = 0
    while True:
        entries = list(ChainEntry.objects.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not entries:
            break
        records = {
            kind: model.objects.in_bulk([entry.object_id for entry in entries if entry.kind == kind])
            for kind, model in RECORD_MODELS.items()
        }
        revisions = Revision.objects.in_bulk(
            [record.revision_id for record in records[PublicationRecord.chain_kind].values()]
        )
        for entry in entries:
            record = records.get(entry.kind, {}).get(entry.object_id)
            problem = _entry_problem(entry, record, previous, revisions)
            if problem:
                return Verification(checked, previous, entry.pk, f"{_describe(entry, record)}:{problem}")
            previous = entry.entry_hash
            checked += 1
        last_pk = entries[-1].pk
    head = ChainHead.objects.filter(pk=1).first()
    head_length, head_hash = (head.length, head.entry_hash) if head else (0, GENESIS)
    if head_length != checked or head_hash != previous:
        problem = f"链头记有 {head_length} 条,链上实有 {checked} 条(末尾的条目被删除或改动)"
        return Verification(checked, previous, None, problem)
    for kind, model in RECORD_MODELS.items():
        linked = ChainEntry.objects.filter(kind=kind).values("object_id")
        stray = model.objects.exclude(pk__in=linked).order_by("pk").first()
        if stray is not None:
            problem = f"{ChainEntry.Kind(kind).label} #{stray.pk}({stray})不在链上:未经记录流程写入数据库"
            return Verification(checked, previous, None, problem)
    return Verification(checked, previous)


def _entry_problem(entry, record, previous, revisions):
    if entry.previous_hash != previous:
        return "所记前一条的哈希与实际不符(其前的条目被删除、插入或改动)"
    if record is None:
        return "记录已从数据库中删除"
    if sha256(canonical_json(entry.digests)) != entry.content_hash:
        return "条目中各字段的哈希被改动"
    if link_hash(entry.previous_hash, entry.kind, entry.object_id, entry.content_hash) != entry.entry_hash:
        return "本条哈希与内容不符"
    digests = field_digests(record)
    changed = [name for name, digest in digests.items() if entry.digests.get(name) != digest]
    changed += [name for name in entry.digests if name not in digests]
    if changed:
        names = "、".join(f"{_field_label(record, name)}({name})" for name in changed)
        return f"字段 {names} 与入链时不符"
    # The published revision itself, while it is kept (a purge of old revisions may remove it).
    revision = revisions.get(record.revision_id) if isinstance(record, PublicationRecord) else None
    if revision is not None and revision_hash(revision) != record.content_hash:
        return f"修订版本 {revision.pk} 的内容与发稿单所记的内容哈希不符"
    return ""


def _field_label(record, name):
    for field in record._meta.concrete_fields:
        if name in (field.name, field.attname):
            return str(field.verbose_name)
    return name
