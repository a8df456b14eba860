"""Email for the newsroom workflow, in Chinese, sent after the transaction commits.

Each message is a Wagtail notifier (wagtail.admin.mail) with the newsroom's recipients and templates
(templates/newsroom/emails/). Wagtail's own English notifiers are disconnected, so each step sends one
Chinese message. A mail server that is down or refuses the message never undoes a workflow action:
sending waits for the commit, and each failure is logged instead of raised.
"""

import logging
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.admin.mail import (
    EmailNotificationMixin,
    GroupApprovalTaskStateSubmissionEmailNotifier,
    Notifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    send_mail,
)
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from articles.text import person_name
from home.context_processors import site_name

from .models import ResponsibleEditorTaskState

logger = logging.getLogger(__name__)

# Wagtail's notifiers as wagtail/admin/signal_handlers.py connects them: (signal, sender, dispatch_uid).
WAGTAIL_NOTIFIERS = (
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
)


def display_name(user):
    return person_name(user) if user is not None else "系统"


def page_context(page):
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    return {
        "page": page,
        "title": page.get_admin_display_title(),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "portal_name": site_name(site=page.get_site()),
    }


class NewsroomEmailMixin:
    """The newsroom's way of sending a Wagtail notification.

    Recipients are active people with an email address, never the person who acted (the signal's
    ``user``); the newsroom has no per-person opt-out, so Wagtail's profile preferences are not read.
    Templates are ``newsroom/emails/<notification>.txt`` and ``<notification>_subject.txt``.
    """

    template_directory = "newsroom/emails/"

    def get_valid_recipients(self, instance, user=None, **kwargs):
        acting_pk = getattr(user, "pk", None)
        return {
            person
            for person in self.get_recipient_users(instance, user=user, **kwargs)
            if person and person.is_active and person.email and person.pk != acting_pk
        }

    def get_template_base_prefix(self, instance, **kwargs):
        return ""

    def get_template_set(self, instance, **kwargs):
        base = self.template_directory + self.notification
        return {"subject": f"{base}_subject.txt", "text": f"{base}.txt"}

    def get_context(self, instance, **kwargs):
        return {"base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"), **super().get_context(instance, **kwargs)}

    def send_notifications(self, template_set, context, recipients, **kwargs):
        # A rolled-back action sends nothing, and a slow or broken mail server cannot hold or undo the commit.
        transaction.on_commit(partial(self.send_emails, template_set, context, recipients), robust=True)
        return True

    def send_emails(self, template_set, context, recipients, **kwargs):
        try:
            connection = get_connection()
            connection.open()
        except Exception:
            logger.exception("Mail server unavailable; workflow email %r not sent", self.notification)
            return False
        sent = 0
        try:
            for person in sorted(recipients, key=lambda person: person.pk):
                message_context = {**context, "recipient": person, "recipient_name": display_name(person)}
                subject = " ".join(render_to_string(template_set["subject"], message_context).split())
                body = render_to_string(template_set["text"], message_context)
                try:
                    send_mail(subject, body, [person.email], connection=connection)
                    sent += 1
                except Exception:
                    logger.exception("Workflow email %r to %s failed", self.notification, person.email)
        finally:
            try:
                connection.close()
            except Exception:
                logger.exception("Closing the mail connection failed")
        return sent == len(recipients)


def stage_context(task_state):
    """What the reviewer's approval leads to: ``next_stage`` (the name of the stage after theirs, "" when their
    approval publishes) and ``names_reviewer`` (the article will print them as 责任编辑)."""
    stages = task_state.workflow_state.workflow.workflow_tasks.filter(task__active=True).order_by("sort_order")
    stages = list(stages.values_list("task_id", "task__name"))
    ids = [pk for pk, _ in stages]
    following = stages[ids.index(task_state.task_id) + 1 :] if task_state.task_id in ids else []
    return {
        "next_stage": following[0][1] if following else "",
        "names_reviewer": isinstance(task_state.specific, ResponsibleEditorTaskState),
    }


class ReviewRequestedNotifier(NewsroomEmailMixin, EmailNotificationMixin, Notifier):
    """待审核: tells the responsible editor named on the article that it awaits their review."""

    notification = "review_requested"

    def __init__(self):
        super().__init__((ResponsibleEditorTaskState,))

    def get_recipient_users(self, task_state, **kwargs):
        return {task_state.reviewer}

    def get_context(self, task_state, **kwargs):
        workflow_state = task_state.workflow_state
        return {
            **super().get_context(task_state, **kwargs),
            **page_context(workflow_state.content_object),
            "submitter_name": display_name(workflow_state.requested_by),
            "task": task_state.task,
            **stage_context(task_state),
        }


class ReviewReassignedNotifier(ReviewRequestedNotifier):
    """待审核 after 改派: tells the newly assigned responsible editor who handed them the review."""

    def get_context(self, task_state, user=None, **kwargs):
        return {**super().get_context(task_state, user=user, **kwargs), "assigner_name": display_name(user)}


class ReviewWithdrawnNotifier(ReviewReassignedNotifier):
    """已改派: tells the responsible editor a review was taken from them."""

    notification = "review_withdrawn"

    def get_recipient_users(self, task_state, previous_reviewer=None, **kwargs):
        return {previous_reviewer}


class GroupReviewRequestedNotifier(NewsroomEmailMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    """待审核 for a group stage (such as 总编辑终审): tells the group's members, except the submitter."""

    notification = "review_requested"

    def get_recipient_users(self, task_state, **kwargs):
        reviewers = self.group_reviewers(task_state)
        if reviewers:
            return reviewers
        # Nobody in the group may approve (the submitter is its only member): the administrators can.
        return set(get_user_model().objects.filter(is_superuser=True, is_active=True))

    @staticmethod
    def group_reviewers(task_state):
        return set(
            get_user_model()
            .objects.filter(groups__in=task_state.task.specific.groups.all(), is_active=True)
            .exclude(pk=task_state.workflow_state.requested_by_id)
        )

    def get_context(self, task_state, **kwargs):
        workflow_state = task_state.workflow_state
        return {
            **super().get_context(task_state, **kwargs),
            **page_context(workflow_state.content_object),
            "submitter_name": display_name(workflow_state.requested_by),
            "no_group_reviewer": not self.group_reviewers(task_state),
            **stage_context(task_state),
        }


class ChangesRequestedNotifier(NewsroomEmailMixin, WorkflowStateRejectionEmailNotifier):
    """已退回: tells the reporter their article was sent back, with the editor's comment."""

    notification = "changes_requested"

    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        return {
            **context,
            **page_context(workflow_state.content_object),
            "reviewer_name": display_name(context["task_state"].finished_by),
        }


class ApprovedNotifier(NewsroomEmailMixin, WorkflowStateApprovalEmailNotifier):
    """已发布 / 已通过审核: tells the reporter, with every stage's comments and when the article goes live."""

    notification = "approved"

    def get_context(self, workflow_state, user=None, **kwargs):
        page = workflow_state.content_object.specific
        comments = [
            (display_name(state.finished_by), state.comment)
            for state in workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
            .exclude(comment="")
            .select_related("finished_by")
            .order_by("finished_at")
        ]
        revision = page.get_latest_revision()
        return {
            **super().get_context(workflow_state, user=user, **kwargs),
            **page_context(page),
            "reviewer_name": display_name(user),
            "comments": comments,
            "live": page.live,
            "go_live_at": revision.approved_go_live_at if revision else None,
            "public_url": page.full_url,
        }


class PageEmailNotifier(NewsroomEmailMixin, EmailNotificationMixin, Notifier):
    """A message about a page to the people the caller names, such as 重新审核 after a move (review_gate)."""

    def __init__(self, notification):
        super().__init__((Page,))
        self.notification = notification

    def get_recipient_users(self, page, to=(), **kwargs):
        return set(to)

    def get_context(self, page, extra_context=None, **kwargs):
        return {**super().get_context(page, **kwargs), **page_context(page), **(extra_context or {})}


review_requested_notifier = ReviewRequestedNotifier()
review_reassigned_notifier = ReviewReassignedNotifier()
review_withdrawn_notifier = ReviewWithdrawnNotifier()
group_review_requested_notifier = GroupReviewRequestedNotifier()
changes_requested_notifier = ChangesRequestedNotifier()
approved_notifier = ApprovedNotifier()

# (signal, sender, notifier, dispatch_uid) for the workflow steps Wagtail signals.
NOTIFIERS = (
    (task_submitted, ResponsibleEditorTaskState, review_requested_notifier, "newsroom_review_requested_email"),
    (task_submitted, TaskState, group_review_requested_notifier, "newsroom_group_review_requested_email"),
    (workflow_rejected, WorkflowState, changes_requested_notifier, "newsroom_changes_requested_email"),
    (workflow_approved, WorkflowState, approved_notifier, "newsroom_approved_email"),
)


def send_to(recipients, notification, context, acting_user=None):
    """Email ``recipients`` the ``notification`` about ``context["page"]`` once the transaction commits."""
    PageEmailNotifier(notification)(context["page"], to=recipients, extra_context=context, user=acting_user)


def review_reassigned(task_state, previous_reviewer, user):
    """After 改派: the new responsible editor is asked to review; the previous one is told they need not."""
    review_reassigned_notifier(task_state, user=user)
    if previous_reviewer is not None:
        review_withdrawn_notifier(task_state, user=user, previous_reviewer=previous_reviewer)


def disconnect_wagtail_notifiers():
    for signal, sender, dispatch_uid in WAGTAIL_NOTIFIERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)


def connect():
    for signal, sender, notifier, dispatch_uid in NOTIFIERS:
        signal.connect(notifier, sender=sender, dispatch_uid=dispatch_uid)
    disconnect_wagtail_notifiers()
    # wagtail.admin connects its English notifiers in its own ready(), which runs after this app's when
    # wagtail.admin is listed later in INSTALLED_APPS: take them off again as soon as it has.
    admin_config = apps.get_app_config("wagtailadmin")
    if not getattr(admin_config.ready, "disconnects_wagtail_notifiers", False):
        wagtail_ready = admin_config.ready

        def ready():
            wagtail_ready()
            disconnect_wagtail_notifiers()

        ready.disconnects_wagtail_notifiers = True
        admin_config.ready = ready
