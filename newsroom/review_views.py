"""The article's admin views where review happens: the editor, the review dialog and the compare view.

Registered as the ``PageViewSet`` of ``ArticlePage``, so every other page type keeps Wagtail's own views.
The editor shows the review state at the top; 审核通过 and 退回修改 open a dialog that says what the
decision does, and each decision ends with a message saying what happened. A repeated click on a
decision already made (a double click, a second tab) reports that result instead of an error.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.ui.side_panels import PageStatusSidePanel
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.revisions import RevisionsCompareView
from wagtail.admin.views.pages.workflow import CollectWorkflowActionDataView, WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, PageLogEntry, Task, TaskState, WorkflowState

from articles.models import ArticlePage
from articles.text import person_name

from . import proofreading
from .forms import ReviewCommentForm
from .panels import changes_url, review_status, reviewer_names
from .proofread_views import ArticleCreateView, DraftOnRefusedSubmitMixin, ProofreadingSidePanel
from .records_views import PublicationRecordsSidePanel


def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _channel(page):
    parent = page.get_parent()
    return parent.title if parent is not None else ""


def _later_task(workflow_state):
    """The stage that follows the one in progress, or None when approving now ends the review."""
    tasks = list(
        Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
        .exclude(task_states__in=workflow_state.successful_task_states)
        .order_by("workflow_tasks__sort_order")
    )
    current = workflow_state.current_task_state.task_id if workflow_state.current_task_state else None
    ids = [task.pk for task in tasks]
    if current in ids and ids.index(current) + 1 < len(tasks):
        return tasks[ids.index(current) + 1]
    return None


def decision_outcome(page, task_state, action):
    """What the decision will do, said in the dialog before it is made."""
    draft = task_state.revision.as_object()
    title = draft.get_admin_display_title()
    if action == "reject":
        submitter = person_name(task_state.workflow_state.requested_by)
        return f"退回后,《{title}》回到 {submitter} 手中修改;退回意见会通过邮件和控制面板告诉 {submitter}。"
    later = _later_task(task_state.workflow_state)
    if later is not None:
        return f"审核通过后,《{title}》将交由{later.name}({reviewer_names_for_task(later)})。"
    channel = _channel(page)
    go_live_at = getattr(draft, "go_live_at", None)
    if go_live_at and go_live_at > timezone.now():
        return f"审核通过后,《{title}》将于 {_local(go_live_at)} 发布到{channel}栏目,届时读者可见。"
    return f"审核通过后,《{title}》将立即发布到{channel}栏目,读者可见。"


def reviewer_names_for_task(task):
    groups = getattr(task.specific, "groups", None)
    names = [group.name for group in groups.all()] if groups is not None else []
    return "、".join(names) or "审核人"


def decision_result(page, task_state, user):
    """What a decision did, said after it: 已发布 at its address, 已交由 the next stage, or 已退回给 the reporter.

    Read from the database, so a repeated request reports the same result as the one that made it.
    """
    task_state = TaskState.objects.select_related("workflow_state", "finished_by").get(pk=task_state.pk)
    page = ArticlePage.objects.get(pk=page.pk)
    title = page.get_admin_display_title()
    workflow_state = task_state.workflow_state
    by_other = task_state.finished_by_id and task_state.finished_by_id != user.pk
    prefix = f"这次审核已由 {person_name(task_state.finished_by)} 完成:" if by_other else ""
    buttons = []
    if task_state.status == TaskState.STATUS_REJECTED:
        text = f"《{title}》已退回给 {person_name(workflow_state.requested_by)},退回意见已告知。"
    elif task_state.status == TaskState.STATUS_APPROVED:
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and workflow_state.current_task_state:
            following = workflow_state.current_task_state
            text = f"《{title}》审核通过,已交由下一环节:{following.task.name}({reviewer_names(following)})。"
        elif page.live and page.full_url:
            text = f"《{title}》审核通过,已发布到{_channel(page)}栏目:{page.full_url}"
            buttons = [messages.button(page.full_url, "查看", new_window=True)]
        elif page.go_live_at and page.go_live_at > timezone.now():
            text = f"《{title}》审核通过,将于 {_local(page.go_live_at)} 发布到{_channel(page)}栏目。"
        else:
            text = f"《{title}》审核通过。"
    elif task_state.status == TaskState.STATUS_CANCELLED:
        text = f"《{title}》的这次审核已撤回,无需再审。"
    else:
        return None
    return prefix + text, buttons


def report_decision(request, page, task_state):
    result = decision_result(page, task_state, request.user)
    if result is not None:
        text, buttons = result
        messages.success(request, text, buttons=buttons)


def could_have_decided(task_state, user):
    """Whether the user made this decision or was one of those who could have made it."""
    if task_state.finished_by_id == user.pk:
        return True
    if getattr(task_state, "reviewer_id", None) == user.pk:
        return True
    in_groups = getattr(task_state.task.specific, "_user_in_groups", None)
    return bool(in_groups and in_groups(user))


def decided_review(page, user):
    """The review of this article this user last decided, when they have nothing left to decide on it."""
    task = page.current_workflow_task
    if task is not None and task.get_actions(page, user):
        return None
    return (
        TaskState.objects.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id=str(page.pk),
            finished_by=user,
            status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


class DecisionDialogMixin:
    """The review dialog (dashboard and editor): says what the decision does; a finished review reports its result."""

    def dispatch(self, request, *args, **kwargs):
        task_state = self.task_state
        if (
            task_state.status != TaskState.STATUS_IN_PROGRESS
            and task_state.workflow_state.object_id == str(self.object.pk)
            and could_have_decided(task_state, request.user)
        ):
            return self.already_decided(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        form_class = super().get_form_class()
        self.findings = []
        if self.action_name == "approve" and form_class is not None and issubclass(form_class, ReviewCommentForm):
            # 审校: the approver sees what the checks find in the revision they approve.
            revision = self.object.get_latest_revision()
            self.findings = (
                proofreading.findings_for(proofreading.revision_text(revision), self.request) if revision else []
            )
            return functools.partial(form_class, findings=self.findings)
        return form_class

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["outcome"] = decision_outcome(self.object.specific, self.task_state, self.action_name)
        context["findings"] = [
            {"level": finding.level, "line": proofreading.describe(finding)} for finding in self.findings
        ]
        return context


class ArticleWorkflowActionView(DecisionDialogMixin, WorkflowActionView):
    """审核通过 / 退回修改 from the dashboard, confirmed in a dialog, ending with a message saying the result."""

    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except proofreading.ChecksRefused as refused:
            # The text changed since the dialog opened: show what the checks found now.
            self.findings = refused.findings
            form = self.form_class(request.POST)
            form.is_valid()
            form.add_error(None, refused.message)
            return self.render_modal_form(request, form)
        self.task_state.refresh_from_db()
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            report_decision(request, self.object, self.task_state)
        return response

    def already_decided(self, request):
        report_decision(request, self.object, self.task_state)
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
        return redirect(self.redirect_url)


class ArticleCollectWorkflowActionDataView(DecisionDialogMixin, CollectWorkflowActionDataView):
    """The same dialog opened from the editor; the editor's form then carries the decision."""

    def already_decided(self, request):
        # Let the editor post as usual; ArticleEditView reports the decision already made.
        return self.render_modal_json(request, {"step": "success", "cleaned_data": {}})


class ArticleEditView(DraftOnRefusedSubmitMixin, EditView):
    """The article editor, with the review state at the top and a message saying each decision's result."""

    def get_template_names(self):
        names = super().get_template_names()
        return [
            "newsroom/admin/edit_article.html" if name == "wagtailadmin/pages/edit.html" else name for name in names
        ]

    def get_side_panels(self):
        # The status panel tells the review state in the banner's words (Wagtail's says 审核中 after a send-back).
        panels = super().get_side_panels()
        for index, panel in enumerate(panels):
            if type(panel) is PageStatusSidePanel:
                panel.__class__ = ArticleStatusSidePanel
                panels[index] = panel
        panels.append(ProofreadingSidePanel(self.page, self.request))
        panels.append(PublicationRecordsSidePanel(self.page, self.request))
        return panels

    def dispatch(self, request, page_id, **kwargs):
        try:
            return super().dispatch(request, page_id, **kwargs)
        except PermissionDenied:
            perms = getattr(self, "page_perms", None)
            if perms is None or perms.can_edit():
                raise  # refused for another reason than not being allowed to edit this article
            response = self.repeated_decision(request)
            if response is not None:
                return response
            reason = review_refusal(self.page, request.user)
            if not reason:
                raise
            messages.error(request, reason)
            return redirect("wagtailadmin_home")

    def post(self, request, *args, **kwargs):
        return self.repeated_decision(request) or super().post(request, *args, **kwargs)

    def repeated_decision(self, request):
        """A second submission of a decision already made (double click, second tab): report it, save nothing."""
        if request.method != "POST" or not request.POST.get("action-workflow-action"):
            return None
        if self.page_perms.can_edit() and self.workflow_action_is_valid():
            return None
        decided = decided_review(self.page, request.user)
        if decided is None:
            return None
        report_decision(request, self.page, decided)
        return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")

    def perform_workflow_action(self):
        self.decided_task_state = self.page.current_workflow_task_state
        try:
            return super().perform_workflow_action()
        except proofreading.ChecksRefused as refused:
            # The edits are saved as a draft; the approval waits until the checks allow it.
            messages.error(self.request, refused.message)
            return redirect("wagtailadmin_pages:edit", self.page.pk)

    def add_save_confirmation_message(self):
        task_state = getattr(self, "decided_task_state", None)
        if task_state is None:
            return super().add_save_confirmation_message()
        report_decision(self.request, self.page, task_state)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = review_status(self.page)
        task = self.page.current_workflow_task
        can_review = task is not None and bool(task.get_actions(self.page, self.request.user))
        task_state = self.page.current_workflow_task_state
        context["review"] = status
        context["review_changes_url"] = (
            changes_url(self.page, task_state.revision) if can_review and task_state is not None else ""
        )
        return context


class ArticleStatusSidePanel(PageStatusSidePanel):
    def get_status_templates(self, context):
        workflow = "wagtailadmin/shared/side_panels/includes/status/workflow.html"
        return [
            "newsroom/admin/status_review.html" if name == workflow else name
            for name in super().get_status_templates(context)
        ]

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if self.object.pk:
            context["review"] = review_status(self.object)
        return context


def review_refusal(page, user):
    """Why someone who may not open an article under review cannot: who reviews it."""
    status = review_status(page)
    if status.label != "审核中":
        return ""
    title = page.get_admin_display_title()
    return f"你没有权限访问《{title}》:此稿件由 {status.reviewer} 审核({status.stage})。"


class ArticleRevisionsCompareView(RevisionsCompareView):
    """Compare with "live" means the version readers last saw, or an empty article when none was approved."""

    template_name = "newsroom/admin/revisions_compare.html"

    def _get_revision_and_heading(self, revision_id):
        if revision_id == "live":
            approved = last_published_revision(self.object)
            if approved is None:
                return blank_article(self.object), "空白稿(尚无审核通过的版本,全文均为新增)"
            return approved.as_object(), f"上次审核通过的版本({_local(approved.created_at)})"
        obj, heading = super()._get_revision_and_heading(revision_id)
        if str(revision_id).isdigit():
            revision = self.object.revisions.select_related("user").get(pk=revision_id)
            heading = f"{person_name(revision.user)} {_local(revision.created_at)} 保存的版本"
        return obj, heading


def last_published_revision(page):
    """The revision readers last saw: the live one, or for a withdrawn article the last one published."""
    if page.live_revision_id:
        return page.live_revision
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None


def blank_article(page):
    """An article with nothing in it, for comparing a first submission with: every field shows as added."""
    return type(page)(title="", slug=page.slug)


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    parent_models = []  # channel page lists are ChannelPageViewSet (newsroom/explorer.py)
    add_view_class = ArticleCreateView
    edit_view_class = ArticleEditView
    workflow_action_view_class = ArticleWorkflowActionView
    collect_workflow_action_data_view_class = ArticleCollectWorkflowActionDataView
    revisions_compare_view_class = ArticleRevisionsCompareView
