"""The admin side of the review gate (newsroom/review_gate.py): buttons that are not offered, and refusals
with a Chinese message instead of an error page when a request asks for what the gate would refuse.
"""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter

from .review_gate import (
    RESTART_ACTION,
    is_article,
    move_refusal,
    pop_restart_message,
    publication_refusal,
    restructure_refusal,
)

EDITOR_PUBLISH_REFUSAL = (
    "稿件不能从编辑页直接发布:请提交审核,所在栏目的审核流程全部通过后稿件自动发布。已发布的稿件仍可由总编辑撤稿。"
)
UNREVIEWED_COPY_REFUSAL = (
    "复制的稿件不能直接发布或作为别名上线:副本须经所在栏目的审核流程通过后才能发布,请取消勾选后再复制。"
)


def _refuse(request, message, fallback_page):
    messages.error(request, message)
    explore = reverse("wagtailadmin_explore", args=[fallback_page.get_parent().pk])
    return redirect(explore)


@hooks.register("register_log_actions")
def register_review_gate_log_actions(actions):
    @actions.register_action(RESTART_ACTION)
    class ReviewRestarted(LogFormatter):
        label = "审核重新开始"

        def format_message(self, log_entry):
            return log_entry.data.get("message", self.label)


@hooks.register("construct_page_action_menu")
def hide_publish_for_articles(menu_items, request, context):
    # Articles are published by the approval that ends their channel's workflow, never from the editor.
    page = context.get("page")
    if page is not None and is_article(page):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_edit_page")
def refuse_editor_publish(request, page):
    if request.method == "POST" and request.POST.get("action-publish") and is_article(page):
        messages.error(request, EDITOR_PUBLISH_REFUSAL)
        return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_create_page")
def refuse_publish_on_create(request, parent_page, page_class):
    if request.method == "POST" and request.POST.get("action-publish") and is_article(page_class):
        messages.error(request, EDITOR_PUBLISH_REFUSAL)
        return redirect(request.get_full_path())


@hooks.register("construct_page_listing_buttons")
def hide_restructuring_under_review(buttons, page, user, context=None):
    if restructure_refusal(user, page, "移动") is None:
        return
    refused = tuple(
        reverse(name, args=[page.pk])
        for name in ("wagtailadmin_pages:move", "wagtailadmin_pages:copy", "wagtailadmin_pages:delete")
    )
    for button in buttons:
        if hasattr(button, "dropdown_buttons"):
            button.dropdown_buttons = [
                item for item in button.dropdown_buttons if not (item.url or "").startswith(refused)
            ]


@hooks.register("before_move_page")
def refuse_move(request, page, destination):
    reason = restructure_refusal(request.user, page, "移动") or move_refusal(page, destination)
    if reason:
        return _refuse(request, reason, page)


@hooks.register("after_move_page")
def explain_review_restart(request, page):
    message = pop_restart_message(page.pk)
    if message:
        messages.warning(request, message)


@hooks.register("before_copy_page")
def refuse_copy(request, page):
    reason = restructure_refusal(request.user, page, "复制")
    if reason:
        return _refuse(request, reason, page)
    if request.method == "POST" and (request.POST.get("publish_copies") or request.POST.get("alias")):
        from articles.models import ArticlePage

        copies_articles = is_article(page) or (
            request.POST.get("copy_subpages") and ArticlePage.objects.descendant_of(page).live().exists()
        )
        if copies_articles:
            messages.error(request, UNREVIEWED_COPY_REFUSAL)
            return redirect(request.get_full_path())


@hooks.register("before_delete_page")
def refuse_delete(request, page):
    reason = restructure_refusal(request.user, page, "删除")
    if reason:
        return _refuse(request, reason, page)


@hooks.register("before_bulk_action")
def refuse_bulk_actions(request, action_type, objects, action_class_instance):
    if action_type not in ("move", "delete", "publish"):
        return None
    reasons = []
    for page in objects:
        if not hasattr(page, "get_workflow"):
            continue
        if action_type in ("move", "delete"):
            reasons.append(restructure_refusal(request.user, page, "移动" if action_type == "move" else "删除"))
        if action_type == "move":
            reasons.append(move_refusal(page, action_class_instance.cleaned_form.cleaned_data["chooser"]))
        if action_type == "publish":
            reasons.extend(_bulk_publication_refusals(page, action_class_instance))
    reasons = [reason for reason in reasons if reason]
    if reasons:
        for reason in dict.fromkeys(reasons):
            messages.error(request, reason)
        return redirect(action_class_instance.next_url)
    return None


def _bulk_publication_refusals(page, action):
    from articles.models import ArticlePage

    pages = [page]
    if action.cleaned_form.cleaned_data.get("include_descendants"):
        pages += list(ArticlePage.objects.descendant_of(page).filter(has_unpublished_changes=True))
    for candidate in pages:
        if is_article(candidate):
            article = candidate.specific_deferred
            reason = publication_refusal(article, article.get_latest_revision())
            if reason:
                yield f"《{article.get_admin_display_title()}》:{reason}"


@hooks.register("after_bulk_action")
def explain_bulk_review_restarts(request, action_type, objects, action_class_instance):
    if action_type == "move":
        for page in objects:
            message = pop_restart_message(page.pk)
            if message:
                messages.warning(request, message)
