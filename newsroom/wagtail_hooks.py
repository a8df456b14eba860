from urllib.parse import urlencode

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import LogFormatter

from articles.models import ArticlePage
from articles.text import person_name

from . import review_gate_hooks  # noqa: F401  (registers the review gate's admin hooks)
from .corrections import CORRECTION_ACTION
from .dashboard import dashboard_facts, lighter_panels, share_summary_counts, without_empty_panels
from .deadline_admin import ReviewDeadlineViewSet
from .explorer import ChannelPageViewSet
from .forms import SUBMIT_ACTIONS
from .page_permissions import register as register_page_permission_policy
from .panels import AwaitingReviewPanel, MyArticlesPanel, ReviewsInProgressPanel
from .pins_admin import viewsets as pin_viewsets
from .proofread_hooks import register_proofread_urls  # noqa: F401  (审校's live check and history entries)
from .records_hooks import register_publication_record_urls  # noqa: F401  (发稿单's admin URLs and menu)
from .review_permissions import VIEW_CLASSES as RESTRUCTURE_VIEW_CLASSES
from .review_views import ArticlePageViewSet
from .stats_views import ChiefEditorReportMenuItem, NewsroomStatsView
from .views import reassign_review, write_article
from .withdrawal import BULK_REFUSAL, RESTORE_ACTION, WITHDRAW_ACTION, WithdrawView
from .wordlist_admin import ProofreadingViewSetGroup
from .writing import WriteArticlePanel

# The explorable root from the per-request permission cache, before any admin view asks for the policy.
register_page_permission_policy()


@hooks.register("register_admin_urls")
def register_newsroom_urls():
    return [path("newsroom/reviews/<int:task_state_id>/reassign/", reassign_review, name="newsroom_reassign_review")]


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    # The article's editor, review dialog and compare view (newsroom/review_views.py); move, copy and delete
    # refused under review say why (newsroom/review_permissions.py).
    # Unpublishing an article is 撤稿, with a reason (newsroom/withdrawal.py).
    return ArticlePageViewSet(unpublish_view_class=WithdrawView, **RESTRUCTURE_VIEW_CLASSES)


@hooks.register("register_admin_viewset")
def register_channel_page_viewset():
    # A channel's page list within a fixed number of queries (newsroom/explorer.py).
    return ChannelPageViewSet()


@hooks.register("register_admin_viewset")
def register_word_list_viewsets():
    # 审校 → 敏感词, 错别字: the site's own lists for the content checks, kept by chief editors.
    return ProofreadingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_review_deadline_viewset():
    # 设置 → 审核期限: each review stage's time limit per channel, kept by chief editors.
    return ReviewDeadlineViewSet()


@hooks.register("register_admin_urls")
def register_newsroom_stats_url():
    # Beside Wagtail's own reports: /admin/reports/newsroom-stats/ (统计, newsroom/stats_views.py).
    return [path("reports/newsroom-stats/", NewsroomStatsView.as_view(), name="newsroom_stats")]


@hooks.register("register_reports_menu_item")
def register_newsroom_stats_menu_item():
    return ChiefEditorReportMenuItem(
        "采编统计", reverse("newsroom_stats"), name="newsroom-stats", icon_name="table", order=650
    )


@hooks.register("register_admin_viewset")
def register_pin_viewsets():
    # 置顶: chief editors pin live articles to the top of their channel and the home page.
    return pin_viewsets()


@hooks.register("register_log_actions")
def register_newsroom_log_actions(actions):
    actions.register_action("newsroom.review_reassigned", "改派审核", "改派审核")

    @actions.register_action(WITHDRAW_ACTION)
    class Withdrawn(LogFormatter):
        label = "撤稿"

        def format_message(self, log_entry):
            shown = "公开" if log_entry.data.get("reason_public") else "不公开"
            unpinned = ";置顶已取消" if log_entry.data.get("unpinned") else ""
            return f"撤稿,理由({shown}):{log_entry.data.get('reason', '')}{unpinned}"

    @actions.register_action(RESTORE_ACTION)
    class Restored(LogFormatter):
        label = "恢复撤稿"

        def format_message(self, log_entry):
            return f"经审核恢复发布(原撤稿理由:{log_entry.data.get('reason', '')})"

    @actions.register_action(CORRECTION_ACTION)
    class Corrected(LogFormatter):
        label = "更正"

        def format_message(self, log_entry):
            return f"更正说明已发布:{log_entry.data.get('note', '')}"


@hooks.register("before_bulk_action")
def refuse_bulk_withdrawal(request, action_type, objects, action_class_instance):
    # 撤稿 needs a reason for each article, which the bulk unpublish does not ask for.
    if action_type == "unpublish" and any(isinstance(page.specific_deferred, ArticlePage) for page in objects):
        messages.error(request, BULK_REFUSAL)
        return redirect(action_class_instance.next_url)
    return None


@hooks.register("insert_editor_js")
def keep_button_saves_after_autosave():
    # A button press waits for an autosave under way, so a late autosave never overtakes the button's save.
    return format_html('<script src="{}"></script>', static("newsroom/js/editor-save-order.js"))


@hooks.register("insert_editor_js")
def take_starting_form_once():
    # Wagtail's editor otherwise takes its starting form twice on load, swallowing a change made in between.
    return format_html('<script src="{}"></script>', static("newsroom/js/editor-starting-form.js"))


@hooks.register("after_edit_page")
def warn_about_overtaken_edit(request, page):
    """Tell an editor whose form was opened before someone else's save that both versions are kept."""
    loaded = request.POST.get("loaded_revision_id")
    # Autosave asks for JSON: a message queued there would surface later, on an unrelated page.
    if not loaded or not loaded.isdigit() or not request.accepts("text/html"):
        return
    # The editor's own autosaves since the form was opened are not someone else's version.
    loaded_at = parse_datetime(request.POST.get("loaded_revision_created_at", ""))
    if loaded_at is None:
        loaded_revision = page.revisions.filter(pk=loaded).only("created_at").first()
        loaded_at = loaded_revision.created_at if loaded_revision else None
    others = page.revisions.exclude(user=request.user).exclude(pk=loaded)
    if loaded_at is not None:
        others = others.filter(created_at__gt=loaded_at)
    previous = others.order_by("-created_at", "-pk").select_related("user").first()
    if previous is not None:
        by = person_name(previous.user) if previous.user else "他人"
        messages.warning(
            request,
            f"您编辑期间,{by} 于 {timezone.localtime(previous.created_at):%H:%M} 保存了新版本。"
            "您的修改已保存为最新版本,对方的版本仍在修订历史中,可比较或恢复。",
        )


@hooks.register("construct_help_menu")
def remove_english_guides(request, items):
    # Wagtail's release notes and editor guide exist in English only; their "new" badges would stay lit.
    items[:] = [item for item in items if item.name not in {"editor-guide"} and not item.name.startswith("whats-new")]


@hooks.register("construct_homepage_panels")
def add_newsroom_panels(request, panels):
    # 我的稿件 shows each piece's state, so Wagtail's narrower "your pages in a workflow" panel goes.
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "user_objects_in_workflow_moderation"]
    # 待我审核 with a compare action that shows the changes since the last approval (or the whole text).
    panels[:] = [
        AwaitingReviewPanel() if getattr(panel, "name", "") == "workflow_objects_to_moderate" else panel
        for panel in panels
    ]
    panels.append(MyArticlesPanel())
    if dashboard_facts(request)["chief"]:
        panels.append(ReviewsInProgressPanel())


@hooks.register("register_admin_urls")
def register_writing_urls():
    return [path("newsroom/write/", write_article, name="newsroom_write_article")]


@hooks.register("construct_homepage_panels")
def add_write_article_panel(request, panels):
    if dashboard_facts(request)["writes"]:
        panels.append(WriteArticlePanel())


def back_to_article_after_submit(request, page):
    """After 提交审核 (or resubmitting), the writer stays on the article, not the channel's page list."""
    submitted = any(request.POST.get(action) for action in SUBMIT_ACTIONS)
    if not submitted or not issubclass(page.specific_class, ArticlePage) or not request.accepts("text/html"):
        return None
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    next_url = get_valid_next_url_from_request(request)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


# Last, so that every other hook has run (and added its messages) before this one answers.
hooks.register("after_create_page", back_to_article_after_submit, order=100)
hooks.register("after_edit_page", back_to_article_after_submit, order=100)

# After Wagtail's own hooks have added the summary items: the three counts then cost one query, not seven.
hooks.register("construct_homepage_summary_items", share_summary_counts, order=100)
hooks.register("construct_homepage_panels", without_empty_panels, order=100)
hooks.register("construct_homepage_panels", lighter_panels, order=100)
