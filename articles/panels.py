"""Dashboard panels for the newsroom: a reporter's own pieces, and reviews in progress for chief editors."""

from django.contrib.contenttypes.models import ContentType
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from .models import ArticlePage
from .workflows import ResponsibleEditorTaskState

MY_ARTICLES_LIMIT = 15
# 我的稿件 looks for the last edits among a reporter's most recently created articles (see below).
RECENT_CREATED = 200


def article_state(page, workflow_state):
    """The state a reporter understands: 草稿, 审核中, 已退回 or 已发布."""
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        return "审核中"
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "已退回"
    if page.live and not page.has_unpublished_changes:
        return "已发布"
    return "草稿"


class MyArticlesPanel(Component):
    """我的稿件: the articles this user owns, newest first, with their state and any comment sent back."""

    name = "my_articles"
    template_name = "articles/admin/my_articles_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        # Sorting every article a reporter ever wrote by its last edit grows with the archive: the last
        # edits are looked for among their most recently created RECENT_CREATED articles (an index walk).
        recent = Page.objects.filter(owner=user).order_by("-pk").values("pk")[:RECENT_CREATED]
        pages = list(
            ArticlePage.objects.filter(pk__in=recent)
            .defer_streamfields()
            .order_by("-latest_revision_created_at")[:MY_ARTICLES_LIMIT]
        )
        latest_states = {}
        if pages:
            states = (
                WorkflowState.objects.filter(
                    base_content_type=ContentType.objects.get_for_model(Page),
                    object_id__in=[str(page.pk) for page in pages],
                )
                .exclude(status=WorkflowState.STATUS_CANCELLED)
                .select_related("current_task_state", "current_task_state__finished_by")
                .order_by("created_at")
            )
            latest_states = {state.object_id: state for state in states}
        rows = []
        for page in pages:
            state = latest_states.get(str(page.pk))
            label = article_state(page, state)
            comment = state.current_task_state.comment if label == "已退回" and state.current_task_state else ""
            rows.append({"page": page, "state": label, "comment": comment})
        return {"rows": rows}


class ReviewsInProgressPanel(Component):
    """审核中的稿件: every responsible-editor review in progress, with who holds it, for chief editors to reassign."""

    name = "reviews_in_progress"
    template_name = "articles/admin/reviews_in_progress_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        states = (
            ResponsibleEditorTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
            .select_related("reviewer", "workflow_state__requested_by", "revision")
            .order_by("started_at")[:50]
        )
        return {"states": states}
