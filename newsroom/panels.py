"""Dashboard panels for the newsroom, and the words for an article's review state used on every screen.

``article_state`` names the state (草稿, 审核中, 已退回, 已发布); ``review_status`` adds who holds the review,
who sent it back, when and why. 我的稿件, the banner at the top of the article editor and the editor's
status panel all read them, so a reporter and a reviewer see the same state in the same words.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import GroupApprovalTask, Page, Revision, Task, TaskState, WorkflowState, WorkflowTask

from articles.models import ArticlePage, ArticleWithdrawal
from articles.text import person_name

from .deadlines import deadline_of, with_deadlines
from .models import (
    ResponsibleEditorTask,
    ResponsibleEditorTaskState,
    ReviewActionsMixin,
    SeparateApproverGroupTask,
)

MY_ARTICLES_LIMIT = 15
# 我的稿件 looks for the last edits among a reporter's most recently created articles (see below).
RECENT_CREATED = 200


def open_withdrawal():
    """``.annotate(_withdrawn=open_withdrawal())``: whether each page has an open 撤稿, in the listing's query."""
    return Exists(ArticleWithdrawal.objects.filter(page_id=OuterRef("pk"), restored_at=None))


def is_withdrawn(page):
    known = getattr(page, "_withdrawn", None)
    if known is None:  # a page read on its own (the editor's banner): one query, only for an unpublished one
        known = ArticleWithdrawal.objects.filter(page_id=page.pk, restored_at=None).exists()
    return known


def article_state(page, workflow_state):
    """The state a reporter understands: 草稿, 审核中, 已退回, 已计划 (approved, waiting for its time), 已发布 or
    已撤稿 (withdrawn and not yet restored)."""
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "审核中"
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "已退回"
    if page.live and not page.has_unpublished_changes:
        return "已发布"
    if page.approved_schedule:  # listings annotate it (annotate_approved_schedule)
        return "已计划"
    if not page.live and page.first_published_at is not None and is_withdrawn(page):
        return "已撤稿"
    return "草稿"


def listing_state(page):
    """An article's state word in Wagtail's listings and header tag (ArticlePage.state_label): the words of
    我的稿件 and the editor's banner, so a sent-back piece is 已退回, not 草稿. Listings prefetch the
    workflow states read here."""
    return article_state(page, page.current_workflow_state)


def reviewer_names(task_state):
    """Who holds this review: the named responsible editor, or the group of a group stage (e.g. 总编辑)."""
    task_state = task_state.specific
    if isinstance(task_state, ResponsibleEditorTaskState):
        return person_name(task_state.reviewer) if task_state.reviewer else "未指定(待总编辑指派)"
    groups = getattr(task_state.task.specific, "groups", None)
    names = [group.name for group in groups.all()] if groups is not None else []
    return "、".join(names) or task_state.task.name


@dataclass
class ReviewStatus:
    """An article's review state with its particulars, as the editor's banner and status panel tell it."""

    label: str
    workflow_state: WorkflowState | None = None
    stage: str = ""
    reviewer: str = ""
    submitted_by: str = ""
    sent_back_by: str = ""
    sent_back_at: datetime | None = None
    comment: str = ""
    url: str = ""
    go_live_at: datetime | None = None

    @property
    def summary(self):
        """One line: 审核中 · 责任编辑审核 · 审核人 王强, or 已退回 · 王强 退回."""
        if self.label == "审核中":
            return f"当前环节:{self.stage},审核人:{self.reviewer}"
        if self.label == "已退回":
            return f"{self.sent_back_by} 退回修改" if self.sent_back_by else "已退回修改"
        return ""


def review_status(page):
    """The review state of one article (its latest workflow, if one is in progress or sent back)."""
    workflow_state = page.current_workflow_state
    label = article_state(page, workflow_state)
    status = ReviewStatus(label=label, workflow_state=workflow_state)
    task_state = workflow_state.current_task_state if workflow_state is not None else None
    if workflow_state is not None:
        status.submitted_by = person_name(workflow_state.requested_by)
    if label == "审核中" and task_state is not None:
        status.stage = task_state.task.name
        status.reviewer = reviewer_names(task_state)
    elif label == "已退回" and task_state is not None:
        status.sent_back_by = person_name(task_state.finished_by)
        status.sent_back_at = task_state.finished_at
        status.comment = task_state.comment or ""
    elif label == "已发布":
        status.url = page.full_url or ""
    elif label == "已计划":
        status.go_live_at = page.scheduled_revision.approved_go_live_at
    return status


class MyArticlesPanel(Component):
    """我的稿件: the articles this user owns, newest first, with their state and any comment sent back."""

    name = "my_articles"
    template_name = "newsroom/admin/my_articles_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        from .dashboard import dashboard_facts

        request = parent_context["request"]
        user = request.user
        if not dashboard_facts(request)["owns"]:
            return {"rows": []}
        # Sorting every article a reporter ever wrote by its last edit grows with the archive: the last
        # edits are looked for among their most recently created RECENT_CREATED articles (an index walk).
        recent = Page.objects.filter(owner=user).order_by("-pk").values("pk")[:RECENT_CREATED]
        # The latest review of each (not cancelled), read in the same query as the articles.
        latest_review = (
            WorkflowState.objects.filter(
                base_content_type=ContentType.objects.get_for_model(Page),
                object_id=Cast(OuterRef("pk"), CharField()),
            )
            .exclude(status=WorkflowState.STATUS_CANCELLED)
            .order_by("-created_at", "-pk")
        )
        pages = (
            ArticlePage.objects.filter(pk__in=recent)
            .defer_streamfields()
            .annotate_approved_schedule()
            .annotate(
                _withdrawn=open_withdrawal(),
                review_status=Subquery(latest_review.values("status")[:1]),
                review_comment=Subquery(latest_review.values("current_task_state__comment")[:1]),
            )
            .order_by("-latest_revision_created_at")[:MY_ARTICLES_LIMIT]
        )
        rows = []
        for page in pages:
            state = WorkflowState(status=page.review_status) if page.review_status else None
            label = article_state(page, state)
            comment = (page.review_comment or "") if label == "已退回" else ""
            rows.append({"page": page, "state": label, "comment": comment})
        return {"rows": rows}


class ReviewsInProgressPanel(Component):
    """审核中的稿件: every responsible-editor review in progress, with who holds it, for chief editors to reassign."""

    name = "reviews_in_progress"
    template_name = "newsroom/admin/reviews_in_progress_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        # Most urgent first: ordered by due time (newsroom/deadlines.py) in the same query.
        states = list(
            with_deadlines(ResponsibleEditorTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS))
            .select_related("reviewer", "workflow_state__requested_by", "revision")
            .order_by("review_due_at", "pk")[:50]
        )
        now = timezone.now()
        for state in states:
            state.deadline = deadline_of(state, now)
        return {"states": states}


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """待我审核, whose compare action shows what changed since the last approved version.

    Wagtail's own panel compares with the previous revision, which on a first review is the reporter's
    last draft: no difference. Here the revision under review is compared with the version readers last
    saw, or with an empty article when nothing was approved yet, so the whole text shows as added.

    The rows are read in a fixed number of queries, whatever their number: the reviews with their revision,
    workflow state, task, responsible editor and separation-of-duties check in one, the articles in one,
    the stages' statuses in one. Wagtail's panel looked
    up the task types, each row's workflow state, task state and task again for every action, edit link and
    lock check. Task types this module does not know keep Wagtail's way.
    """

    template_name = "newsroom/admin/awaiting_review_panel.html"

    def get_context_data(self, parent_context):
        from .dashboard import dashboard_facts

        request = parent_context["request"]
        if dashboard_facts(request)["other_tasks"]:
            context = super().get_context_data(parent_context)
        else:
            context = {"request": request, "csrf_token": parent_context["csrf_token"], "states": []}
            if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
                context["states"] = awaiting_review_rows(request.user)
        context["states"] = with_deadline_rows(context["states"])
        for state in context["states"]:
            if not isinstance(state["obj"], Page):
                continue
            if "can_edit" not in state:  # rows read Wagtail's way
                state["can_edit"] = state["obj"].permissions_for_user(request.user).can_edit()
            state["changes_url"] = changes_url(state["obj"], state["revision"])
            sent_back = getattr(state["task_state"], "sent_back_revision_id", None)
            if sent_back is None and not hasattr(state["task_state"], "sent_back_revision_id"):
                sent_back = sent_back_revision(state["task_state"])
            state["since_sent_back_url"] = (
                reverse(
                    "wagtailadmin_pages:revisions_compare", args=(state["obj"].pk, sent_back, state["revision"].pk)
                )
                if sent_back
                else ""
            )
        return context


def with_deadline_rows(rows):
    """待我审核's rows, each with its ``deadline``, most urgent first.

    Rows read here come with their limit; rows read Wagtail's way (other task types) get theirs in one query.
    """
    missing = [row["task_state"].pk for row in rows if not hasattr(row["task_state"], "review_limit")]
    if missing:
        limits = dict(with_deadlines(TaskState.objects.filter(pk__in=missing)).values_list("pk", "review_limit"))
        for row in rows:
            if row["task_state"].pk in limits:
                row["task_state"].review_limit = limits[row["task_state"].pk]
    now = timezone.now()
    for row in rows:
        row["deadline"] = deadline_of(row["task_state"], now)
    return sorted(rows, key=lambda row: (row["deadline"].due_at, row["task_state"].pk))


def reviewable_task_states(user):
    """What ``TaskState.objects.reviewable_by(user)`` finds, in one query, for this module's task types.

    The union of each task's ``get_task_states_user_can_moderate`` (newsroom/models.py, and Wagtail's
    GroupApprovalTask), written as one filter.
    """

    def content_type(model):
        return ContentType.objects.get_for_model(model, for_concrete_model=False)

    approved_elsewhere = approved_elsewhere_by(user)
    group_tasks = (
        GroupApprovalTask.objects.all() if user.is_superuser else GroupApprovalTask.objects.filter(groups__user=user)
    )
    separate_tasks = (
        SeparateApproverGroupTask.objects.all()
        if user.is_superuser
        else SeparateApproverGroupTask.objects.filter(groups__user=user)
    )
    not_own = ~Q(workflow_state__requested_by=user)
    return TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task__active=True).filter(
        (
            Q(task__content_type=content_type(ResponsibleEditorTask), responsibleeditortaskstate__reviewer=user)
            & not_own
        )
        | Q(task__content_type=content_type(GroupApprovalTask), task__in=group_tasks.values("pk"))
        | (
            Q(task__content_type=content_type(SeparateApproverGroupTask), task__in=separate_tasks.values("pk"))
            & not_own
            & ~Exists(approved_elsewhere)
        )
    )


def approved_elsewhere_by(user):
    """Task states of the same review where ``user`` approved another stage (separation of duties)."""
    return TaskState.objects.filter(
        workflow_state=OuterRef("workflow_state"), status=TaskState.STATUS_APPROVED, finished_by=user
    ).exclude(task=OuterRef("task"))


def awaiting_review_rows(user):
    """The rows of 待我审核 as Wagtail's panel builds them, with what each row asks for read beforehand."""
    states = list(
        with_deadlines(reviewable_task_states(user))
        .select_related(
            "revision",
            "revision__user",
            "workflow_state",
            "workflow_state__workflow",
            "task",
            "responsibleeditortaskstate",
        )
        .annotate(
            previous_revision_id=Revision.objects.previous_revision_id_subquery(),
            approved_elsewhere=Exists(approved_elsewhere_by(user)),
            sent_back_revision_id=Subquery(
                TaskState.objects.filter(workflow_state=OuterRef("workflow_state"), status=TaskState.STATUS_REJECTED)
                .exclude(revision=OuterRef("revision"))
                .order_by("-finished_at")
                .values("revision_id")[:1]
            ),
        )
        .order_by("-started_at")
    )
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [
        int(state.revision.object_id) for state in states if state.revision.base_content_type_id == page_type.pk
    ]
    pages = Page.objects.filter(pk__in=page_ids).specific(defer=True).in_bulk() if page_ids else {}
    statuses = stage_statuses([state.workflow_state for state in states])
    rows = []
    for state in states:
        obj = pages.get(int(state.revision.object_id)) if state.revision.base_content_type_id == page_type.pk else None
        if obj is None:
            obj = state.revision.content_object  # a snippet, read as Wagtail does
            if obj is None:
                continue
        specific_state = getattr(state, "responsibleeditortaskstate", None) or state
        task = state.task.specific_deferred
        # What the workflow helpers of the page would look up again for each action and permission check.
        specific_state.workflow_state = state.workflow_state
        specific_state.task = task
        specific_state.revision = state.revision
        if isinstance(obj, Page) and state.workflow_state.current_task_state_id == state.pk:
            state.workflow_state.current_task_state = specific_state
            obj._current_workflow_states = [state.workflow_state]
        if isinstance(task, ReviewActionsMixin) and isinstance(obj, Page):
            # may_review (newsroom/models.py) answered from this row: the query above already required
            # the named reviewer or the stage's group, and that the user did not submit the article; what
            # remains is that this is the current stage and the user approved no other stage of it.
            may_review = state.workflow_state.current_task_state_id == state.pk and not state.approved_elsewhere
            task.may_review = lambda obj, user, may_review=may_review: may_review
        actions = task.get_actions(obj, user)
        # The review tasks' editor access is exactly their may_review, which offering actions implies.
        can_edit = (bool(actions) and isinstance(task, ReviewActionsMixin)) or (
            isinstance(obj, Page) and obj.permissions_for_user(user).can_edit()
        )
        rows.append(
            {
                "obj": obj,
                "revision": state.revision,
                "previous_revision_id": state.previous_revision_id,
                "live_revision_id": obj.live_revision_id,
                "task_state": state,
                "actions": actions,
                "workflow_tasks": statuses.get(state.workflow_state_id, []),
                "workflow_action_url_name": "wagtailadmin_pages:workflow_action",
                "workflow_preview_url_name": "wagtailadmin_pages:workflow_preview"
                if getattr(obj, "is_previewable", False)
                else None,
                "revisions_compare_url_name": "wagtailadmin_pages:revisions_compare",
                "can_edit": can_edit,
            }
        )
        if not isinstance(obj, Page):
            viewset = obj.snippet_viewset
            rows[-1].update(
                workflow_action_url_name=viewset.get_url_name("workflow_action"),
                workflow_preview_url_name=viewset.get_url_name("workflow_preview")
                if getattr(obj, "is_previewable", False)
                else None,
                revisions_compare_url_name=viewset.get_url_name("revisions_compare"),
                can_edit=None,
            )
    return rows


def stage_statuses(workflow_states):
    """``WorkflowState.all_tasks_with_status()`` for several workflow states, in one query."""
    if not workflow_states:
        return {}
    outer_state = OuterRef("workflow__workflow_states")
    applicable = TaskState.objects.filter(workflow_state=outer_state, task=OuterRef("task_id"))
    if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
        # Only the task states of the newest revision under review count (_get_applicable_task_states).
        newest = (
            TaskState.objects.filter(workflow_state=OuterRef(outer_state))
            .order_by("-revision__created_at", "-revision_id")
            .values("revision_id")[:1]
        )
        applicable = applicable.filter(revision_id=Subquery(newest))
    rows = (
        WorkflowTask.objects.filter(workflow__workflow_states__in=[state.pk for state in workflow_states])
        .annotate(
            state_id=F("workflow__workflow_states"),
            status=Subquery(applicable.order_by("-started_at", "-id").values("status")[:1]),
        )
        .order_by("state_id", "sort_order")
        .values_list("state_id", "task_id", "task__name", "task__content_type_id", "task__active", "status")
    )
    labels = dict(TaskState.STATUS_CHOICES)
    result = {state.pk: [] for state in workflow_states}
    for state_id, task_id, name, content_type_id, active, status in rows:
        task = Task(pk=task_id, name=name, content_type_id=content_type_id, active=active)
        task.status = status
        task.status_display = labels.get(status, _("Not started"))
        result[state_id].append(task)
    return result


def changes_url(page, revision):
    """Compare the revision under review with the last approved version (or an empty article)."""
    return reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", revision.pk))


def sent_back_revision(task_state):
    """The revision this review last sent back, when the article is under review again after changes."""
    return (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id, status=TaskState.STATUS_REJECTED)
        .exclude(revision_id=task_state.revision_id)
        .order_by("-finished_at")
        .values_list("revision_id", flat=True)
        .first()
    )
