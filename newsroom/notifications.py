"""Email for the newsroom workflow, in Chinese, sent after the transaction commits.

A mail server that is down or refuses the message never undoes a workflow action: sending waits
for the commit, and each failure is logged instead of raised.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import AbstractGroupApprovalTask, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected

from .text import person_name
from .workflows import ResponsibleEditorTaskState

logger = logging.getLogger(__name__)


def display_name(user):
    return person_name(user) if user is not None else "系统"


def send_to(recipients, template, context, acting_user=None):
    """Email each recipient once the current transaction commits; never the person who acted."""
    acting_pk = getattr(acting_user, "pk", None)
    recipients = {user for user in recipients if user and user.is_active and user.email and user.pk != acting_pk}
    if not recipients:
        return
    context = {"base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"), **context}

    def send():
        try:
            connection = get_connection()
            connection.open()
        except Exception:
            logger.exception("Mail server unavailable; workflow email %r not sent", template)
            return
        try:
            for user in sorted(recipients, key=lambda user: user.pk):
                message_context = {**context, "recipient": user, "recipient_name": display_name(user)}
                subject = render_to_string(f"articles/emails/{template}_subject.txt", message_context)
                body = render_to_string(f"articles/emails/{template}.txt", message_context)
                try:
                    EmailMessage(" ".join(subject.split()), body, to=[user.email], connection=connection).send()
                except Exception:
                    logger.exception("Workflow email %r to %s failed", template, user.email)
        finally:
            try:
                connection.close()
            except Exception:
                logger.exception("Closing the mail connection failed")

    transaction.on_commit(send)


def page_context(page):
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    return {
        "page": page,
        "title": page.get_admin_display_title(),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }


def review_requested(sender, instance, user=None, **kwargs):
    """Tell the assigned responsible editor that an article awaits their review."""
    workflow_state = instance.workflow_state
    context = {
        **page_context(workflow_state.content_object),
        "submitter_name": display_name(workflow_state.requested_by),
        "task": instance.task,
    }
    send_to([instance.reviewer], "review_requested", context, acting_user=user)


def group_review_requested(sender, instance, user=None, **kwargs):
    """Tell the members of a group approval stage (such as 总编辑终审) that an article awaits them."""
    task = instance.task.specific
    if not isinstance(task, AbstractGroupApprovalTask):
        return
    workflow_state = instance.workflow_state
    members = get_user_model().objects.filter(groups__in=task.groups.all()).exclude(pk=workflow_state.requested_by_id)
    context = {
        **page_context(workflow_state.content_object),
        "submitter_name": display_name(workflow_state.requested_by),
        "task": task,
    }
    send_to(set(members), "review_requested", context, acting_user=user)


def changes_requested(sender, instance, user=None, **kwargs):
    """Tell the reporter their article was sent back, with the editor's comment."""
    task_state = instance.current_task_state
    context = {
        **page_context(instance.content_object),
        "reviewer_name": display_name(task_state.finished_by if task_state else user),
        "comment": task_state.comment if task_state else "",
        "task": task_state.task if task_state else None,
    }
    send_to([instance.requested_by], "changes_requested", context, acting_user=user)


def approved(sender, instance, user=None, **kwargs):
    """Tell the reporter their article passed review, with any comments and when it goes live."""
    page = instance.content_object.specific
    comments = [
        (display_name(state.finished_by), state.comment)
        for state in instance.task_states.filter(status=TaskState.STATUS_APPROVED)
        .exclude(comment="")
        .select_related("finished_by")
        .order_by("finished_at")
    ]
    revision = page.get_latest_revision()
    context = {
        **page_context(page),
        "reviewer_name": display_name(user),
        "comments": comments,
        "live": page.live,
        "go_live_at": revision.approved_go_live_at if revision else None,
        "public_url": page.full_url,
    }
    send_to([instance.requested_by], "approved", context, acting_user=user)


def review_reassigned(task_state, previous_reviewer, user):
    context = {
        **page_context(task_state.workflow_state.content_object),
        "submitter_name": display_name(task_state.workflow_state.requested_by),
        "assigner_name": display_name(user),
        "task": task_state.task,
    }
    send_to([task_state.reviewer], "review_requested", context, acting_user=user)
    if previous_reviewer is not None:
        send_to([previous_reviewer], "review_withdrawn", context, acting_user=user)


def connect():
    # Registered under Wagtail's own dispatch_uids, before wagtail.admin's ready() runs (this app is
    # listed first), so these replace Wagtail's English, on-the-spot notifiers instead of doubling them.
    task_submitted.connect(
        review_requested, sender=ResponsibleEditorTaskState, dispatch_uid="qingshan_review_requested"
    )
    task_submitted.connect(
        group_review_requested, sender=TaskState, dispatch_uid="group_approval_task_submitted_email_notification"
    )
    workflow_rejected.connect(
        changes_requested, sender=WorkflowState, dispatch_uid="workflow_state_rejected_email_notification"
    )
    workflow_approved.connect(
        approved, sender=WorkflowState, dispatch_uid="workflow_state_approved_email_notification"
    )
