"""Template tags for the admin's review screens."""

from django import template

from ..panels import reviewer_names

register = template.Library()


@register.simple_tag
def review_holder(page):
    """此稿件由 王强 审核: who holds the review of a page in review, or "" when it is not in review."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return ""
    return f"此稿件由 {reviewer_names(task_state)} 审核"
