from django.urls import path
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages

from .panels import MyArticlesPanel, ReviewsInProgressPanel
from .roles import CHIEF_EDITORS
from .text import person_name
from .views import reassign_review


@hooks.register("register_admin_urls")
def register_newsroom_urls():
    return [path("newsroom/reviews/<int:task_state_id>/reassign/", reassign_review, name="newsroom_reassign_review")]


@hooks.register("register_log_actions")
def register_newsroom_log_actions(actions):
    actions.register_action("newsroom.review_reassigned", "改派审核", "改派审核")


@hooks.register("after_edit_page")
def warn_about_overtaken_edit(request, page):
    """Tell an editor whose form was opened before someone else's save that both versions are kept."""
    loaded = request.POST.get("loaded_revision_id")
    if not loaded:
        return
    previous = page.revisions.order_by("-created_at", "-pk").select_related("user")[1:2].first()
    if previous is not None and str(previous.pk) != loaded:
        by = person_name(previous.user) if previous.user else "他人"
        messages.warning(
            request,
            f"您编辑期间,{by} 于 {timezone.localtime(previous.created_at):%H:%M} 保存了新版本。"
            "您的修改已保存为最新版本,对方的版本仍在修订历史中,可比较或恢复。",
        )


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    # 我的稿件 shows each piece's state, so Wagtail's narrower "your pages in a workflow" panel goes.
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "user_objects_in_workflow_moderation"]
    panels.append(MyArticlesPanel())
    user = request.user
    if user.is_superuser or user.groups.filter(name=CHIEF_EDITORS).exists():
        panels.append(ReviewsInProgressPanel())
