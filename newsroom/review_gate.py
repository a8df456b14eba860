"""The review gate: an article reaches readers only through the complete review of the channel it is in now.

Every route that makes an article live — approval, the editor's 发布, revert, copy with "publish copies",
bulk publish, scheduled publication, import — ends in a save of the page row with ``live`` set or a new
``live_revision``, or in scheduling a revision. The receivers here refuse those unless every active stage of
the channel's current workflow approved that very revision. Trusted system code (the archive import, the
demo loader, test data) publishes only inside ``publication_without_review(reason)``, never by accident.

A move of an article under review into a channel with a different workflow restarts the review under the
new workflow, with the original submitter; the people involved are told why.
"""

from collections import defaultdict
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_save
from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState, WorkflowState
from wagtail.signals import post_page_move, pre_page_move

from articles.publishing import trusted_publication

from .page_permissions import is_chief_editor

# Review restarts per page id, for the admin to tell whoever moved the article (see review_gate_hooks).
_restarts = ContextVar("qingshan_review_restarts", default=None)

RESTART_ACTION = "newsroom.review_restarted"


class ReviewRequired(PermissionDenied):
    """An article would reach readers without the complete review of its channel; the message says why."""


def is_article(page_or_class):
    from articles.models import ArticlePage

    if isinstance(page_or_class, type):
        model = page_or_class
    else:
        model = page_or_class.specific_class if isinstance(page_or_class, Page) else type(page_or_class)
    return model is not None and issubclass(model, ArticlePage)


def under_review(page):
    """The workflow state of a piece that is 审核中 (waiting for a reviewer), else None."""
    state = page.current_workflow_state
    return state if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS else None


def restructure_refusal(user, page, verb):
    """The Chinese message refusing ``verb`` (移动, 复制, 删除) of an article under review, or None."""
    if not is_article(page) or is_chief_editor(user) or under_review(page) is None:
        return None
    return f"稿件《{page.get_admin_display_title()}》正在审核中,只有总编辑可以{verb}。"


def publication_refusal(page, revision, channel=None):
    """None when ``revision`` of the article ``page`` may go live; otherwise the reason, in Chinese.

    It may when a finished workflow state of the workflow that the page's channel runs now (or ``channel``,
    where a move takes it) has an approval of that revision for every active task of the workflow.
    """
    if trusted_publication():
        return None
    if channel is None:
        channel = page.get_parent() if page.pk else None
        workflow = page.get_workflow() if page.pk else None
    else:
        workflow = channel.get_workflow()
    channel_title = channel.get_admin_display_title() if channel is not None else "所在"
    tasks = {task.pk: task.name for task in workflow.tasks} if workflow is not None else {}
    if not tasks:
        return f"“{channel_title}”栏目没有审核流程,稿件不能发布;请总编辑在 设置 → 工作流 中为栏目指定流程。"
    if revision is not None and page.pk is not None and revision.object_id == str(page.pk):
        approvals = defaultdict(set)
        for state_id, task_id in TaskState.objects.filter(
            revision=revision,
            status=TaskState.STATUS_APPROVED,
            workflow_state__workflow=workflow,
            workflow_state__status=WorkflowState.STATUS_APPROVED,
        ).values_list("workflow_state_id", "task_id"):
            approvals[state_id].add(task_id)
        if any(approved >= tasks.keys() for approved in approvals.values()):
            return None
    return f"稿件须经“{channel_title}”栏目的“{workflow.name}”({'、'.join(tasks.values())})全部审核通过后才能发布。"


def check_publication(page, revision):
    reason = publication_refusal(page, revision)
    if reason:
        raise ReviewRequired(reason)


def move_refusal(page, destination):
    """Why a live article may not enter ``destination`` (its live version lacks that channel's review), or None."""
    if trusted_publication() or not page.live or not is_article(page) or destination.pk == page.get_parent().pk:
        return None
    page = page.specific_deferred
    destination_workflow = destination.get_workflow()
    if destination_workflow is not None and destination_workflow == page.get_workflow():
        return None  # the same review stands behind it there
    if publication_refusal(page, page.live_revision, channel=destination) is None:
        return None
    return (
        f"已发布的稿件《{page.get_admin_display_title()}》未经“{destination.get_admin_display_title()}”栏目的"
        "审核流程,不能直接移入:请先撤稿,移动后再提交审核。"
    )


# The gate itself: signal receivers at the lowest point every route shares.


def gate_page_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of pages: refuse an article row that goes live, or changes its live revision, unreviewed."""
    if raw or not instance.live or trusted_publication() or not is_article(instance):
        return
    if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
        return
    if instance.pk is not None:
        before = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
        if before is not None and before["live"] and before["live_revision_id"] == instance.live_revision_id:
            return
    # A page new to the tree (a copy kept live, an article created live) has no review of its own.
    revision = instance.live_revision if instance.pk is not None else None
    check_publication(instance, revision)


def gate_scheduling(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of revisions: scheduling an article revision to go live later needs the same review."""
    if raw or instance.approved_go_live_at is None or trusted_publication():
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    model = instance.content_type.model_class()
    if model is None or not is_article(model):
        return
    check_publication(instance.content_object, instance)


def gate_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """``pre_page_move``: a live article enters another channel only with that channel's review."""
    reason = move_refusal(instance, parent_page_after)
    if reason:
        raise ReviewRequired(reason)


def follow_review_on_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """``post_page_move``: a piece moved while in review runs the workflow of the channel it entered."""
    if trusted_publication() or not is_article(instance) or parent_page_before.pk == parent_page_after.pk:
        return
    page = instance.specific
    workflow = page.get_workflow()
    before, after = parent_page_before.get_admin_display_title(), parent_page_after.get_admin_display_title()
    reason = f"稿件《{page.get_admin_display_title()}》从“{before}”移至“{after}”"
    state = page.current_workflow_state
    if state is not None:
        if workflow is None or state.workflow_id != workflow.pk:
            restart_review(page, state, reason)
        return
    # Approved for a later publication under the old channel's workflow: that approval does not hold here.
    scheduled = page.revisions.exclude(approved_go_live_at=None).first()
    finished = page.workflow_states.filter(status=WorkflowState.STATUS_APPROVED).order_by("-pk").first()
    if scheduled is not None and finished is not None and publication_refusal(page, scheduled):
        page.revisions.update(approved_go_live_at=None)
        restart_review(page, finished, reason + ",原定时发布已取消")


@transaction.atomic
def restart_review(page, state, reason):
    """End ``state`` (from another workflow) and start the review the page's channel runs now.

    The new review is requested by the original submitter, so the separation of duties still counts them as
    the author. A piece that had been sent back (已退回) goes back to its author as a draft, to be submitted
    again. Returns the message for whoever caused the restart.
    """
    from . import notifications

    workflow = page.get_workflow()
    submitter = state.requested_by
    previous_reviewers = [
        getattr(task_state.specific, "reviewer", None)
        for task_state in state.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
    ]
    status = state.status
    if status in (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES):
        state.cancel()
    if workflow is not None and status != WorkflowState.STATUS_NEEDS_CHANGES:
        workflow.start(page, submitter)
        stages = "、".join(task.name for task in workflow.tasks)
        outcome = f"审核已按该栏目的“{workflow.name}”({stages})重新开始,每一级通过后才会发布"
    else:
        outcome = "原审核已取消,请修改后重新提交审核"
    message = f"{reason}:{outcome}。"
    log(instance=page, action=RESTART_ACTION, data={"message": message}, revision=page.get_latest_revision())
    notifications.send_to(
        [submitter, *previous_reviewers], "review_restarted", {**notifications.page_context(page), "message": message}
    )
    restarts = _restarts.get()
    if restarts is None:
        restarts = {}
        _restarts.set(restarts)
    restarts[page.pk] = message
    return message


def pop_restart_message(page_pk):
    """The message of a review restarted for this page in the current request, once."""
    restarts = _restarts.get()
    return restarts.pop(page_pk, None) if restarts else None


def connect():
    from articles.models import ArticlePage

    for sender in (Page, ArticlePage):
        pre_save.connect(gate_page_save, sender=sender, dispatch_uid=f"qingshan-review-gate-{sender.__name__}")
    pre_save.connect(gate_scheduling, sender=Revision, dispatch_uid="qingshan-review-gate-scheduling")
    pre_page_move.connect(gate_move, dispatch_uid="qingshan-review-gate-move")
    post_page_move.connect(follow_review_on_move, dispatch_uid="qingshan-review-follows-move")
