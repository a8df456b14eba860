"""审核期限: how long each review stage may take, what is due soon or overdue, and the overdue reminders.

A stage's limit is the ``ReviewDeadline`` of its task in the article's channel, else the task's row for all
channels, else ``FALLBACK_LIMIT``; it runs from the stage's start (``TaskState.started_at``: submission, or
the previous stage's approval). ``with_deadlines`` annotates any task-state queryset with the limit and the
due time in SQL, so the dashboard panels order by it and ``remind_overdue`` finds late stages without a
query per row.

A stage is 即将超时 when less than a quarter of its limit remains (the last 30 minutes of 2 hours, the last
6 hours of 24), and 已超时 once its time is up.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db.models import (
    BigIntegerField,
    Case,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.mail import send_mail
from wagtail.models import Page, TaskState

from articles.models import ArticlePage
from articles.text import person_name
from home.context_processors import site_name

from .models import OverdueReminder, ResponsibleEditorTaskState, ReviewDeadline, SeparateApproverGroupTask
from .roles import CHIEF_EDITORS

logger = logging.getLogger(__name__)

FALLBACK_LIMIT = timedelta(hours=24)
# What setup_newsroom gives every stage, and each stage in 要闻, the fast desk.
DEFAULT_LIMIT = timedelta(hours=24)
FAST_LIMIT = timedelta(hours=2)
SOON_FRACTION = 4  # 即将超时 when less than limit / SOON_FRACTION remains

OVERDUE, SOON, ON_TIME = "overdue", "soon", "on_time"
LABELS = {OVERDUE: "已超时", SOON: "即将超时", ON_TIME: ""}


def with_deadlines(task_states):
    """``task_states`` (a TaskState or subclass queryset) with ``review_limit`` and ``review_due_at``.

    The channel is the article's (``ArticlePage.channel``); a review of anything else uses the limits for all
    channels. The cast of the object's id is only reached for pages, whose ids are numbers.
    """
    page_type = ContentType.objects.get_for_model(Page)
    channel = Case(
        When(
            workflow_state__base_content_type_id=page_type.pk,
            then=Subquery(
                ArticlePage.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), BigIntegerField())).values(
                    "channel_id"
                )[:1]
            ),
        ),
    )
    channel_limit = ReviewDeadline.objects.filter(
        task_id=OuterRef("task_id"), channel_id=OuterRef("review_channel_id")
    )
    default_limit = ReviewDeadline.objects.filter(task_id=OuterRef("task_id"), channel__isnull=True)
    limit = Coalesce(
        Subquery(channel_limit.values("limit")[:1]),
        Subquery(default_limit.values("limit")[:1]),
        Value(FALLBACK_LIMIT, output_field=DurationField()),
        output_field=DurationField(),
    )
    return (
        task_states.annotate(review_channel_id=channel)
        .annotate(review_limit=limit)
        .annotate(review_due_at=ExpressionWrapper(F("started_at") + F("review_limit"), output_field=DateTimeField()))
    )


@dataclass(frozen=True)
class Deadline:
    """Where one review stage stands against its limit."""

    due_at: object
    limit: timedelta
    left: timedelta

    @property
    def state(self):
        if self.left <= timedelta(0):
            return OVERDUE
        if self.left * SOON_FRACTION < self.limit:
            return SOON
        return ON_TIME

    @property
    def label(self):
        return LABELS[self.state]

    @property
    def text(self):
        """剩余 1 小时 20 分, or 已超时 35 分."""
        if self.state == OVERDUE:
            return f"已超时 {duration_text(-self.left)}"
        return f"剩余 {duration_text(self.left)}"


def deadline_of(task_state, now=None):
    """The ``Deadline`` of a task state read through ``with_deadlines``."""
    now = now or timezone.now()
    limit = task_state.review_limit
    due_at = task_state.started_at + limit
    return Deadline(due_at=due_at, limit=limit, left=due_at - now)


def duration_text(delta):
    """A duration in Chinese, to the minute: 2 天 3 小时, 1 小时 20 分, 35 分, 不到 1 分."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {minutes} 分" if minutes else f"{hours} 小时"
    return f"{minutes} 分" if minutes else "不到 1 分"


def sorted_by_deadline(task_states, now=None):
    """``(task_state, Deadline)`` pairs, most urgent first (the most overdue, then the least time left)."""
    pairs = [(state, deadline_of(state, now)) for state in task_states]
    pairs.sort(key=lambda pair: (pair[1].due_at, pair[0].pk))
    return pairs


def seed_default_limits(tasks, fast_channel=None):
    """setup_newsroom: each stage gets 24 hours, and 2 hours in 要闻, unless a chief editor already set one."""
    for task in tasks:
        ReviewDeadline.objects.get_or_create(channel=None, task=task, defaults={"limit": DEFAULT_LIMIT})
        if fast_channel is not None:
            ReviewDeadline.objects.get_or_create(channel=fast_channel, task=task, defaults={"limit": FAST_LIMIT})


# remind_overdue


def overdue_task_states(now=None):
    """Review stages in progress whose time is up and that still owe a reminder, with what the mail reads."""
    now = now or timezone.now()

    def claimed(kind):
        return Exists(OverdueReminder.objects.filter(task_state_id=OuterRef("pk"), recipients=kind))

    states = (
        with_deadlines(TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task__active=True))
        .filter(review_due_at__lte=now)
        .exclude(claimed(OverdueReminder.Recipients.REVIEWERS) & claimed(OverdueReminder.Recipients.CHIEF_EDITORS))
        .select_related("workflow_state__requested_by", "task", "revision")
        .order_by("started_at", "pk")
    )
    return [state for state in states if deadline_of(state, now).state == OVERDUE]


def reviewers_of(task_state):
    """Who should act on this stage: the named responsible editor, or the members of a group stage who may."""
    specific = task_state.specific
    if isinstance(specific, ResponsibleEditorTaskState):
        return [specific.reviewer] if specific.reviewer else []
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return []
    people = get_user_model().objects.filter(groups__in=groups.all()).distinct()
    people = people.exclude(pk=task_state.workflow_state.requested_by_id)
    if isinstance(task, SeparateApproverGroupTask):
        # Nobody approves two stages of one article, so an earlier stage's approver is not asked.
        earlier = TaskState.objects.filter(
            workflow_state_id=task_state.workflow_state_id, status=TaskState.STATUS_APPROVED
        ).values("finished_by")
        people = people.exclude(pk__in=earlier)
    return list(people)


def chief_editors():
    return list(get_user_model().objects.filter(groups__name=CHIEF_EDITORS, is_active=True).distinct())


def reachable(people):
    return sorted({person for person in people if person.is_active and person.email}, key=lambda person: person.pk)


def remind_overdue(now=None):
    """Email each overdue stage's reviewers once and the chief editors once; returns the messages sent.

    Each reminder is claimed by a unique row before its mail goes out, so runs that overlap send it once.
    A reminder whose every message failed gives its claim back, so the next run tries again.
    """
    now = now or timezone.now()
    sent = 0
    for task_state in overdue_task_states(now):
        reviewers = reachable(reviewers_of(task_state))
        chiefs = [person for person in reachable(chief_editors()) if person not in reviewers]
        context = reminder_context(task_state, now)
        for kind, people in (
            (OverdueReminder.Recipients.REVIEWERS, reviewers),
            (OverdueReminder.Recipients.CHIEF_EDITORS, chiefs),
        ):
            if kind == OverdueReminder.Recipients.REVIEWERS and not people:
                continue  # a reviewer assigned later (改派) still gets theirs
            claim, created = OverdueReminder.objects.get_or_create(
                task_state=task_state, recipients=kind, defaults={"sent_at": now}
            )
            if not created:
                continue
            count = send_reminders(kind, people, context)
            if people and not count:
                claim.delete()
            sent += count
    return sent


def reminder_context(task_state, now):
    obj = task_state.workflow_state.content_object
    page = obj.specific_deferred if isinstance(obj, Page) else None
    channel = getattr(page, "channel", None)
    reviewers = reviewers_of(task_state)
    deadline = deadline_of(task_state, now)
    return {
        "title": page.get_admin_display_title() if page else str(obj),
        "channel": channel.title if channel else "",
        "stage": task_state.task.name,
        "reviewer_names": "、".join(person_name(person) for person in reviewers) or "未指定",
        "submitter_name": person_name(task_state.workflow_state.requested_by)
        if task_state.workflow_state.requested_by
        else "",
        "started_at": timezone.localtime(task_state.started_at),
        "due_at": timezone.localtime(deadline.due_at),
        "limit": duration_text(deadline.limit),
        "late": duration_text(-deadline.left),
        "edit_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + (reverse("wagtailadmin_pages:edit", args=[page.pk]) if page else reverse("wagtailadmin_home")),
        "portal_name": site_name(site=page.get_site()) if page else site_name(),
    }


def send_reminders(kind, people, context):
    """Send the reminder to each person; returns how many went out (failures are logged, not raised)."""
    if not people:
        return 0
    template = f"newsroom/emails/overdue_{kind}"
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception("Mail server unavailable; overdue reminder not sent")
        return 0
    sent = 0
    try:
        for person in people:
            message_context = {**context, "recipient_name": person_name(person)}
            subject = " ".join(render_to_string(f"{template}_subject.txt", message_context).split())
            body = render_to_string(f"{template}.txt", message_context)
            try:
                send_mail(subject, body, [person.email], connection=connection)
                sent += 1
            except Exception:
                logger.exception("Overdue reminder to %s failed", person.email)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Closing the mail connection failed")
    return sent
