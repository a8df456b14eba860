"""Review tasks for Wagtail workflows: the article's responsible editor (责任编辑) approves it.

Both tasks keep separation of duties: nobody approves their own submission, and nobody approves
two stages of the same article. Also the site's word lists for the 审校 content checks, and their records.
"""

import functools
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState, WorkflowState
from wagtail.signals import task_submitted


def _approved_other_stage(user, task_field="current_task_state__task"):
    """Whether ``user`` approved a stage of the outer workflow state other than the one named by ``task_field``."""
    return (
        TaskState.objects.filter(workflow_state=OuterRef("pk"), status=TaskState.STATUS_APPROVED, finished_by=user.pk)
        .exclude(task=OuterRef(task_field))
        .values("pk")
    )


def _separated(workflow_state, user, task):
    """True unless the user submitted this article or already approved another stage of it."""
    if workflow_state is None or user is None:
        return False
    if workflow_state.requested_by_id == user.pk:
        return False
    # Listings ask this several times a row (lock, editor access, actions): answered once per request.
    answers = workflow_state.__dict__.setdefault("_separation", {})
    if (user.pk, task.pk) not in answers:
        answers[(user.pk, task.pk)] = not (
            TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED, finished_by=user)
            .exclude(task=task)
            .exists()
        )
    return answers[(user.pk, task.pk)]


@functools.cache
def _child_links(model):
    """Names of the one-to-one links from ``model`` to the models that extend it (multi-table inheritance)."""
    return tuple(
        relation.get_accessor_name()
        for relation in model._meta.related_objects
        if relation.one_to_one and relation.field.remote_field.parent_link
    )


def listing_workflow_states(user):
    """Active workflow states for a page listing, with everything the review tasks read about each row.

    Used as the queryset of ``prefetch_workflow_states``' prefetch: the current task state and task come in
    their own types and whether ``user`` approved another stage is annotated, so that a row's lock, editor
    access and actions (see :func:`prepare_listing_workflow_states`) cost no query of their own.
    """
    links = [f"current_task_state__{name}" for name in _child_links(TaskState)]
    links += [f"current_task_state__task__{name}" for name in _child_links(Task)]
    states = WorkflowState.objects.active().select_related("current_task_state__task", *links)
    if user.is_authenticated:
        states = states.annotate(_user_approved_other_stage=Exists(_approved_other_stage(user)))
    return states


def prepare_listing_workflow_states(pages, user):
    """Attach to each row's workflow state (from :func:`listing_workflow_states`) its specific task state and
    task, and the separation answer for ``user``, where the review tasks look them up."""
    for page in pages:
        for workflow_state in getattr(page, "_current_workflow_states", ()):
            task_state = workflow_state.current_task_state
            if task_state is None:
                continue
            task_state.__dict__["specific"] = specific_state = _selected_child(task_state, TaskState)
            task_state.task.__dict__["specific"] = task = _selected_child(task_state.task, Task)
            specific_state.workflow_state = workflow_state
            specific_state.task = task
            if hasattr(workflow_state, "_user_approved_other_stage"):
                answers = workflow_state.__dict__.setdefault("_separation", {})
                answers[(user.pk, task.pk)] = not workflow_state._user_approved_other_stage


def _selected_child(instance, model):
    """``instance`` in its own type, from the child rows select_related loaded along with it."""
    for name in _child_links(model):
        try:
            child = getattr(instance, name)
        except ObjectDoesNotExist:
            continue
        if child is not None:
            return child
    return instance


def _current_task_state(obj, task):
    """The in-progress task state of this task on the object, with its reviewer, or None."""
    task_state = obj.current_workflow_task_state
    if task_state is None or task_state.task_id != task.pk:
        return None
    return task_state.specific


def reviewer_from_revision(revision):
    """The responsible editor chosen on the revision under review (not the live page row)."""
    return getattr(revision.as_object(), "responsible_editor", None)


class ReviewActionsMixin:
    """What both review tasks share: who may act is ``may_review``, and one decision per review.

    The task state row is locked while an action runs, so two simultaneous approvals publish once:
    the later one finds the review finished and does nothing.
    """

    def may_review(self, obj, user):
        raise NotImplementedError

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self.may_review(obj, user))

    def get_actions(self, obj, user):
        if not self.may_review(obj, user):
            return []
        # Both open a dialog: approving may publish to readers, so it is confirmed (with an optional comment).
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", True),
        ]

    def get_form_for_action(self, action):
        from .forms import ReviewCommentForm, ReviewRejectForm

        return ReviewRejectForm if action == "reject" else ReviewCommentForm

    def get_template_for_action(self, action):
        # The dialog says what the decision does (goes live where, or to whom it goes next).
        return "newsroom/admin/review_action_modal.html"

    @transaction.atomic
    def on_action(self, task_state, user, action_name, acknowledged=False, **kwargs):
        task_state = type(task_state).objects.select_for_update().get(pk=task_state.pk)
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            return None
        if action_name == "approve":
            from .proofreading import check_approval

            # Whatever route the approval takes: the checks on the revision approved (ChecksRefused).
            check_approval(task_state, user, acknowledged)
        self.before_action(task_state, user, action_name)
        return super().on_action(task_state, user, action_name, **kwargs)

    def before_action(self, task_state, user, action_name):
        """Called inside the lock, before Wagtail records the decision."""


class ResponsibleEditorTaskState(TaskState):
    """A review by one named person: the responsible editor chosen on the article, or whom a chief editor assigned."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_reviews",
    )

    class Meta:
        verbose_name = "责任编辑审核状态"
        verbose_name_plural = "责任编辑审核状态"
        db_table = "articles_responsibleeditortaskstate"  # created by the articles app, where these tasks began


class ResponsibleEditorTask(ReviewActionsMixin, Task):
    """Only the article's responsible editor may approve or send it back; approval records them as 责任编辑."""

    task_state_class = ResponsibleEditorTaskState

    class Meta:
        verbose_name = "责任编辑审核"
        verbose_name_plural = "责任编辑审核"
        db_table = "articles_responsibleeditortask"  # created by the articles app, where these tasks began

    @classmethod
    def get_description(cls):
        return "由稿件指定的责任编辑审核;审核通过后,其姓名作为“责任编辑”显示在文章页。"

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        revision = obj.get_latest_revision()
        reviewer = reviewer_from_revision(revision)
        if reviewer is not None and reviewer.pk == workflow_state.requested_by_id:
            reviewer = None  # the form refuses this; a reviewer-less review waits for a chief editor to assign one
        if getattr(obj, "locked_by_id", None) and obj.locked_by_id != getattr(reviewer, "pk", None):
            obj.locked, obj.locked_by, obj.locked_at = False, None, None
            obj.save(update_fields=["locked", "locked_by", "locked_at"])
        task_state = ResponsibleEditorTaskState.objects.create(
            workflow_state=workflow_state,
            revision=revision,
            task=self,
            status=TaskState.STATUS_IN_PROGRESS,
            reviewer=reviewer,
        )
        task_submitted.send(sender=ResponsibleEditorTaskState, instance=task_state, user=user)
        return task_state

    def may_review(self, obj, user):
        task_state = _current_task_state(obj, self)
        return (
            task_state is not None
            and user.is_authenticated
            and task_state.reviewer_id == user.pk
            and _separated(task_state.workflow_state, user, self)
        )

    def user_can_lock(self, obj, user):
        return self.may_review(obj, user)

    def before_action(self, task_state, user, action_name):
        if action_name == "approve":
            record_approver(task_state, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # A TaskState queryset, so Wagtail can combine it with other tasks' states.
        return TaskState.objects.filter(
            task=self, status=TaskState.STATUS_IN_PROGRESS, responsibleeditortaskstate__reviewer=user
        ).exclude(workflow_state__requested_by=user)


class SeparateApproverGroupTask(ReviewActionsMixin, AbstractGroupApprovalTask):
    """Group approval (such as 总编辑终审) where the submitter and earlier approvers of the article may not approve."""

    class Meta:
        verbose_name = "小组终审(不得重复审核)"
        verbose_name_plural = "小组终审(不得重复审核)"
        db_table = "articles_separateapprovergrouptask"  # created by the articles app, where these tasks began

    @classmethod
    def get_description(cls):
        return "所选用户组的成员审核;稿件提交人和已审核过前一环节的人不能审核。"

    def may_review(self, obj, user):
        if not (user.is_superuser or self._user_in_groups(user)):
            return False
        return _separated(obj.current_workflow_state, user, self)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (user.is_superuser or self._user_in_groups(user)):
            return TaskState.objects.none()
        approved_elsewhere = TaskState.objects.filter(status=TaskState.STATUS_APPROVED, finished_by=user).exclude(
            task=self
        )
        return (
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            .exclude(workflow_state__requested_by=user)
            .exclude(workflow_state__task_states__in=approved_elsewhere)
        )


def record_approver(task_state, user):
    """Write the approving editor into the revision that the workflow will publish, as its 责任编辑."""
    revision = task_state.workflow_state.content_object.get_latest_revision()
    if revision is None:
        return
    revision.content["responsible_editor"] = user.pk
    revision.save(update_fields=["content"])


# 审校: the site's own word lists for the content checks, and what each check of a revision found.


class CheckLevel(models.TextChoices):
    BLOCK = "block", "拦截"
    WARN = "warn", "提示"


class WordListVersion(models.Model):
    """The current edition of a word list: every change to the list gives it a new token.

    Each worker process keeps its compiled lists with the token they were built from and rebuilds one only
    when the token in the database differs. A token, not a counter: a change rolled back leaves the old
    token in place, and the next change can never reuse the rolled-back one a process may have compiled.
    """

    SENSITIVE = "sensitive"
    TYPOS = "typos"

    name = models.CharField("词表", max_length=20, primary_key=True)
    token = models.CharField("版本", max_length=32)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "词表版本"
        verbose_name_plural = "词表版本"

    def __str__(self):
        return f"{self.name} {self.token}"

    @classmethod
    def current(cls, name):
        """The list's token, one indexed read; "" before its first change."""
        return cls.objects.filter(name=name).values_list("token", flat=True).first() or ""

    @classmethod
    def bump(cls, name):
        cls.objects.update_or_create(name=name, defaults={"token": uuid.uuid4().hex})


class WordListEntry(models.Model):
    """An entry of one of the site's word lists, with who added it and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        abstract = True


class SensitiveWord(WordListEntry):
    """A word the site flags in articles: 拦截 stops the piece until it is changed, 提示 asks the reviewer to look."""

    word = models.CharField("敏感词", max_length=100, unique=True)
    level = models.CharField("处理方式", max_length=5, choices=CheckLevel.choices, default=CheckLevel.BLOCK)
    note = models.CharField("说明", max_length=255, blank=True, help_text="为什么要拦截或提示,审校时显示。")

    word_list = WordListVersion.SENSITIVE

    class Meta:
        ordering = ["word"]
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"

    def __str__(self):
        return self.word


class TypoPair(WordListEntry):
    """One of the site's own 错别字, checked along with the shipped list: the wrong form and the right one."""

    wrong = models.CharField("错误写法", max_length=100, unique=True)
    right = models.CharField("正确写法", max_length=100)
    note = models.CharField("说明", max_length=255, blank=True)

    word_list = WordListVersion.TYPOS

    class Meta:
        ordering = ["wrong"]
        verbose_name = "错别字"
        verbose_name_plural = "错别字"

    def __str__(self):
        return f"{self.wrong} → {self.right}"


@receiver(post_save, sender=SensitiveWord, dispatch_uid="newsroom_sensitive_word_saved")
@receiver(post_delete, sender=SensitiveWord, dispatch_uid="newsroom_sensitive_word_deleted")
@receiver(post_save, sender=TypoPair, dispatch_uid="newsroom_typo_pair_saved")
@receiver(post_delete, sender=TypoPair, dispatch_uid="newsroom_typo_pair_deleted")
def word_list_changed(sender, instance, raw=False, **kwargs):
    # Bulk imports skip the signals and bump once themselves (newsroom/wordlists.py).
    if not raw:
        WordListVersion.bump(sender.word_list)


class CheckRecord(models.Model):
    """What the content checks found in one revision of a page, at one stage (提交, or a review task)."""

    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name="修订版本", on_delete=models.CASCADE, related_name="check_records"
    )
    stage = models.CharField("环节", max_length=255, help_text="submit(提交审核)或审核环节的名称")
    findings = models.JSONField("检查结果", default=list, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("检查时间", auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核对人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField("核对时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "审校记录"
        verbose_name_plural = "审校记录"

    def __str__(self):
        return f"{self.revision_id} {self.stage}"

    @property
    def blocking(self):
        """The findings at level 拦截."""
        return [finding for finding in self.findings if finding.get("level") == CheckLevel.BLOCK]

    @property
    def acknowledged(self):
        return self.acknowledged_at is not None

    def acknowledge(self, user):
        """已核对: a person has read these findings."""
        self.acknowledged_by, self.acknowledged_at = user, timezone.now()
        self.save(update_fields=["acknowledged_by", "acknowledged_at"])


# 发稿单 (publication records), the review decisions, and the tamper-evident chain that links them
# (newsroom/records.py writes them, `verify_records` checks them). Records keep names and ids as they were,
# not foreign keys that a deleted user or page would rewrite: a record never changes after it is written.


class ChainedRecord(models.Model):
    """A record that joins the chain when written; its hash covers ``HASHED_FIELDS`` (attribute names)."""

    HASHED_FIELDS = ()
    chain_kind = ""

    class Meta:
        abstract = True

    def hashed_content(self):
        return {name: getattr(self, name) for name in self.HASHED_FIELDS}


class ReviewDecision(ChainedRecord):
    """One stage's decision on an article (审核通过, 退回修改) as it was taken, written when the stage finishes."""

    class Decision(models.TextChoices):
        APPROVED = TaskState.STATUS_APPROVED, "审核通过"
        REJECTED = TaskState.STATUS_REJECTED, "退回修改"

    task_state_id = models.PositiveBigIntegerField("审核环节编号", unique=True)
    workflow_state_id = models.PositiveBigIntegerField("审核流程编号")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="稿件", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    page_title = models.CharField("标题", max_length=255)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name="修订版本",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    task_name = models.CharField("审核环节", max_length=255)
    decision = models.CharField("决定", max_length=20, choices=Decision.choices)
    decided_by_id = models.PositiveBigIntegerField("审核人编号", null=True)
    decided_by_name = models.CharField("审核人", max_length=150, blank=True)
    decided_at = models.DateTimeField("审核时间")
    comment = models.TextField("审核意见", blank=True)

    HASHED_FIELDS = (
        "task_state_id",
        "workflow_state_id",
        "page_id",
        "page_title",
        "revision_id",
        "task_name",
        "decision",
        "decided_by_id",
        "decided_by_name",
        "decided_at",
        "comment",
    )
    chain_kind = "decision"

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = "审核决定"
        verbose_name_plural = "审核决定"

    def __str__(self):
        return f"《{self.page_title}》{self.task_name} {self.get_decision_display()}"


class PublicationRecord(ChainedRecord):
    """发稿单: who wrote, checked and approved exactly which revision of an article, written when it went live.

    ``stages`` lists every decision of the review that published it (stage, reviewer, decision, time, comment,
    and for an approval the changes the reviewer approved, as text); ``checks`` the content checks' findings on
    the published revision and who ticked 已核对; ``corrections`` the 更正说明 that went live with this revision.
    A publication without review (import, demo) names its reason.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="稿件", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    page_title = models.CharField("标题", max_length=255)
    url_path = models.CharField("地址", max_length=255, blank=True)
    channel_id = models.PositiveBigIntegerField("栏目编号", null=True, db_index=True)
    channel_title = models.CharField("栏目", max_length=255, blank=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name="修订版本",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    content_hash = models.CharField("内容哈希(SHA-256)", max_length=64)
    drafter_id = models.PositiveBigIntegerField("撰稿人编号", null=True)
    drafter_name = models.CharField("撰稿人", max_length=150, blank=True)
    published_at = models.DateTimeField("发布时间", db_index=True)
    workflow_name = models.CharField("审核流程", max_length=255, blank=True)
    unreviewed_reason = models.CharField("未经审核发布的原因", max_length=255, blank=True)
    stages = models.JSONField("审核环节", default=list)
    checks = models.JSONField("审校结果", default=list)
    corrections = models.JSONField("更正说明", default=list, blank=True)

    HASHED_FIELDS = (
        "page_id",
        "page_title",
        "url_path",
        "channel_id",
        "channel_title",
        "revision_id",
        "content_hash",
        "drafter_id",
        "drafter_name",
        "published_at",
        "workflow_name",
        "unreviewed_reason",
        "stages",
        "checks",
        "corrections",
    )
    chain_kind = "publication"

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "发稿单"
        verbose_name_plural = "发稿单"

    def __str__(self):
        return f"《{self.page_title}》修订 {self.revision_id}"

    def hashed_content(self):
        content = super().hashed_content()
        # Hashed only when there are notes: records chained before this field existed still verify, and adding
        # notes to such a record, or removing them from any, still changes its digests.
        if not content["corrections"]:
            del content["corrections"]
        return content

    def people_ids(self):
        """Everyone named on the record: the drafter and each stage's reviewer."""
        ids = {self.drafter_id}
        ids.update(stage.get("reviewer_id") for stage in self.stages)
        return ids - {None}


class ChainEntry(models.Model):
    """A link of the chain: which record, the hash of each of its fields and of them all, and of the link before.

    ``entry_hash`` covers the previous link's hash, so a record edited, removed or slipped in later breaks every
    link from there on; ``verify_records`` names the first.
    """

    class Kind(models.TextChoices):
        PUBLICATION = PublicationRecord.chain_kind, "发稿单"
        DECISION = ReviewDecision.chain_kind, "审核决定"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("记录编号")
    digests = models.JSONField("各字段哈希")
    content_hash = models.CharField("内容哈希", max_length=64)
    previous_hash = models.CharField("前一条的哈希", max_length=64)
    entry_hash = models.CharField("本条哈希", max_length=64, unique=True)
    created_at = models.DateTimeField("入链时间", auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="newsroom_chain_entry_once")]
        verbose_name = "留痕链条目"
        verbose_name_plural = "留痕链条目"

    def __str__(self):
        return f"{self.pk} {self.get_kind_display()} {self.object_id}"


class ChainHead(models.Model):
    """The chain's one head row: its length and last hash. Appending locks it, so concurrent writes queue up
    instead of forking the chain, and ``verify_records`` notices links cut off the end."""

    length = models.PositiveBigIntegerField("条目数", default=0)
    entry_hash = models.CharField("最后一条的哈希", max_length=64)

    class Meta:
        verbose_name = "留痕链头"
        verbose_name_plural = "留痕链头"

    def __str__(self):
        return f"{self.length} {self.entry_hash}"


# 审核期限: how long each review stage may take in each channel, and the reminders sent when it runs over.


class ReviewDeadline(models.Model):
    """The time limit of one review stage (a workflow task) in one channel, counted from the stage's start.

    A row without a channel is the limit for every channel that has no row of its own; a stage with neither
    gets ``deadlines.FALLBACK_LIMIT``. The same task serves several channels' workflows, so the limit belongs
    to the pair, not to the task.
    """

    channel = models.ForeignKey(
        "articles.ChannelIndexPage",
        verbose_name="栏目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则适用于没有单独设置期限的所有栏目。",
    )
    task = models.ForeignKey(Task, verbose_name="审核环节", on_delete=models.CASCADE, related_name="+")
    # A duration, so the panels can order reviews by their due time in SQL; the admin form edits it in hours.
    limit = models.DurationField("时限", help_text="从稿件提交到该环节时起算。")

    class Meta:
        verbose_name = "审核期限"
        verbose_name_plural = "审核期限"
        ordering = ["channel__path", "task__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "task"],
                condition=models.Q(channel__isnull=False),
                name="newsroom_deadline_once_per_channel",
                violation_error_message="该栏目的这个审核环节已经设置了期限。",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(channel__isnull=True),
                name="newsroom_deadline_one_default",
                violation_error_message="这个审核环节已经有适用于所有栏目的期限。",
            ),
        ]

    def __str__(self):
        channel = self.channel.title if self.channel_id else "其他栏目"
        return f"{channel} · {self.task.name}"


class OverdueReminder(models.Model):
    """One overdue reminder sent for one review stage, to its reviewers or to the chief editors.

    The row is created before the mail goes out and is unique, so a second run (or two overlapping ones)
    finds it and sends nothing.
    """

    class Recipients(models.TextChoices):
        REVIEWERS = "reviewers", "审核人"
        CHIEF_EDITORS = "chief_editors", "总编辑"

    task_state = models.ForeignKey(
        TaskState, verbose_name="审核环节", on_delete=models.CASCADE, related_name="overdue_reminders"
    )
    recipients = models.CharField("收件人", max_length=20, choices=Recipients.choices)
    sent_at = models.DateTimeField("提醒时间", default=timezone.now)

    class Meta:
        verbose_name = "超时提醒"
        verbose_name_plural = "超时提醒"
        constraints = [
            models.UniqueConstraint(fields=["task_state", "recipients"], name="newsroom_overdue_reminder_once")
        ]

    def __str__(self):
        return f"{self.task_state_id} {self.get_recipients_display()}"


# 统计: per-article and per-review facts that the statistics report adds up (newsroom/stats.py keeps them on
# publish and on each review decision; `rebuild_newsroom_stats` fills them from existing data).


class ArticleStats(models.Model):
    """One published article's facts for the 统计 report: where, by whom, when first published, and its size.

    Written on every publication of the article (the figures follow its latest published text; the first
    publication time stays), so the report sums one narrow row per article instead of reading revisions.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name="稿件",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    channel_id = models.PositiveBigIntegerField("栏目编号", null=True)
    reporter_id = models.PositiveBigIntegerField("记者编号", null=True)
    first_published_at = models.DateTimeField("首次发布时间")
    # The local date of first publication, kept by the database from first_published_at in the site's time
    # zone (at the time the column was made), so the report groups and filters by day without converting.
    published_on = models.GeneratedField(
        expression=TruncDate("first_published_at"),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name="首次发布日期",
    )
    word_count = models.PositiveIntegerField("字数", default=0)
    image_count = models.PositiveIntegerField("图片数", default=0)
    reprint = models.BooleanField("转载", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "稿件统计"
        verbose_name_plural = "稿件统计"
        indexes = [
            models.Index(fields=["published_on"], name="newsroom_stats_published_on"),
            models.Index(fields=["channel_id", "published_on"], name="newsroom_stats_channel_on"),
            models.Index(fields=["reporter_id", "published_on"], name="newsroom_stats_reporter_on"),
        ]

    def __str__(self):
        return f"{self.page_id} {self.first_published_at:%Y-%m-%d}"


class ReviewStat(models.Model):
    """One finished review stage (审核通过 or 退回修改) and its duration, from the stage's start to the decision."""

    task_state_id = models.PositiveBigIntegerField("审核环节编号", primary_key=True)
    page_id = models.PositiveBigIntegerField("稿件编号")
    channel_id = models.PositiveBigIntegerField("栏目编号", null=True)
    reporter_id = models.PositiveBigIntegerField("提交人编号", null=True)
    reviewer_id = models.PositiveBigIntegerField("审核人编号", null=True)
    task_name = models.CharField("审核环节", max_length=255)
    decision = models.CharField("决定", max_length=20, choices=ReviewDecision.Decision.choices)
    started_at = models.DateTimeField("开始时间")
    decided_at = models.DateTimeField("审核时间")
    duration_seconds = models.PositiveIntegerField("用时(秒)")

    class Meta:
        verbose_name = "审核统计"
        verbose_name_plural = "审核统计"
        indexes = [
            models.Index(fields=["decided_at"], name="newsroom_review_stat_decided"),
            models.Index(fields=["channel_id", "decided_at"], name="newsroom_review_stat_channel"),
            models.Index(fields=["reviewer_id", "decided_at"], name="newsroom_review_stat_reviewer"),
        ]

    def __str__(self):
        return f"{self.task_state_id} {self.task_name} {self.decision}"
