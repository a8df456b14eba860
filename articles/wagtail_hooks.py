from django.urls import path
from wagtail import hooks

from .panels import MyArticlesPanel, ReviewsInProgressPanel
from .views import reassign_review

CHIEF_EDITORS = "总编辑"


@hooks.register("register_admin_urls")
def register_newsroom_urls():
    return [path("newsroom/reviews/<int:task_state_id>/reassign/", reassign_review, name="newsroom_reassign_review")]


@hooks.register("register_log_actions")
def register_newsroom_log_actions(actions):
    actions.register_action("newsroom.review_reassigned", "改派审核", "改派审核")


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    # 我的稿件 shows each piece's state, so Wagtail's narrower "your pages in a workflow" panel goes.
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "user_objects_in_workflow_moderation"]
    panels.append(MyArticlesPanel())
    user = request.user
    if user.is_superuser or user.groups.filter(name=CHIEF_EDITORS).exists():
        panels.append(ReviewsInProgressPanel())
