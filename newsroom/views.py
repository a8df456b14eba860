from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages
from wagtail.log_actions import log
from wagtail.models import TaskState

from .forms import ReassignReviewForm
from .models import ResponsibleEditorTaskState
from .notifications import display_name, review_reassigned
from .writing import writable_channels


def can_reassign(user, page):
    """Chief editors (those who may publish the page) reassign reviews."""
    return page.permissions_for_user(user).can_publish()


def reassign_review(request, task_state_id):
    """Give an in-progress review to another responsible editor."""
    task_state = get_object_or_404(
        ResponsibleEditorTaskState.objects.select_related("workflow_state"), pk=task_state_id
    )
    page = task_state.workflow_state.content_object.specific
    if not can_reassign(request.user, page):
        raise PermissionDenied
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        messages.error(request, f"《{page.get_admin_display_title()}》的这次审核已经结束,无需改派。")
        return redirect("wagtailadmin_home")

    form = ReassignReviewForm(request.POST or None, workflow_state=task_state.workflow_state)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            task_state = ResponsibleEditorTaskState.objects.select_for_update().get(pk=task_state.pk)
            if task_state.status != TaskState.STATUS_IN_PROGRESS:
                messages.error(request, "这次审核已在改派前结束。")
                return redirect("wagtailadmin_home")
            previous = task_state.reviewer
            task_state.reviewer = form.cleaned_data["reviewer"]
            task_state.save(update_fields=["reviewer"])
            # Show the new reviewer as the article's responsible editor in the draft under review.
            revision = task_state.revision
            revision.content["responsible_editor"] = task_state.reviewer.pk
            revision.save(update_fields=["content"])
            log(
                instance=page,
                action="newsroom.review_reassigned",
                user=request.user,
                revision=revision,
                data={"from": display_name(previous) if previous else "", "to": display_name(task_state.reviewer)},
            )
            review_reassigned(task_state, previous, request.user)
        messages.success(
            request, f"已将《{page.get_admin_display_title()}》改派给 {display_name(task_state.reviewer)}。"
        )
        return redirect("wagtailadmin_home")

    return TemplateResponse(
        request,
        "newsroom/admin/reassign_review.html",
        {"form": form, "page": page, "task_state": task_state},
    )


def write_article(request):
    """写稿: choose the channel (选择栏目), then write in Wagtail's own new-article form there."""
    channels = writable_channels(request.user)
    if not channels:
        raise PermissionDenied
    if len(channels) == 1:
        return redirect("wagtailadmin_pages:add", "articles", "articlepage", channels[0].pk)
    # Each channel with the review it runs (要闻 has two stages), so the reporter knows before writing.
    items = [{"channel": channel, "workflow": channel.get_workflow()} for channel in channels]
    return TemplateResponse(request, "newsroom/admin/write_article.html", {"channels": items})
