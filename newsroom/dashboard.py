"""The dashboard at archive scale: what it shows, for fewer queries.

- One statement (``dashboard_facts``) reads the site summary (页面, 图片, 文档 counts and the site's name;
  Wagtail's three items each look up the user's site and count on their own) and what decides the panels:
  whether 待我审核 and 我锁定的页面 can have anything to show (they are left out unasked when not; finding
  the reviews a user may act on otherwise asks every active task type in turn, seven queries), whether the
  user is a chief editor (审核中的稿件), whether they may write in a channel (新稿件), and whether a task type
  other than this module's is active (待我审核 then reads its rows Wagtail's way).
- 我最近的编辑: Wagtail's panel reads the audit log, then the pages and their content types; here the
  pages come in one query ordered by the user's last edit.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.home import RecentEditsPanel
from wagtail.documents import get_document_model
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images import get_image_model
from wagtail.images.wagtail_hooks import ImagesSummaryItem
from wagtail.models import GroupApprovalTask, Page, PageLogEntry, PageViewRestriction, Site, Task, TaskState
from wagtail.permissions import policy_registry

from articles.models import ChannelIndexPage

from .models import ResponsibleEditorTask, SeparateApproverGroupTask
from .panels import open_withdrawal
from .roles import CHIEF_EDITORS

PERMISSIONS = {"add", "change", "delete", "choose"}


def count_each(*querysets, values=None, exists=None):
    """The row count of each queryset, from a single ``SELECT (SELECT COUNT(*) …), …`` statement.

    Then, in the same row: the first value (or None) of each single-column queryset in ``values``, and
    whether each queryset in ``exists`` has a row.
    """
    parts, params = [], []

    def add(queryset, template, empty):
        try:
            sql, query_params = queryset.query.sql_with_params()
        except EmptyResultSet:  # e.g. no collection the user may use: nothing to count
            parts.append(empty)
            return
        parts.append(template.format(sql=sql, number=len(parts)))
        params.extend(query_params)

    for queryset in querysets:
        add(queryset.order_by().values("pk"), "(SELECT COUNT(*) FROM ({sql}) counted_{number})", "0")
    for queryset in (values or {}).values():
        add(queryset[:1], "({sql})", "NULL")
    for queryset in (exists or {}).values():
        add(queryset.order_by().values("pk")[:1], "EXISTS({sql})", "1 = 0")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return cursor.fetchone()


def dashboard_facts(request):
    """What the dashboard's summary counts and panel choices need, from one statement; once per request.

    The site summary: pages under the user's explorable root, the images and documents they may use, the
    site's name. Which panels can have anything to show: ``chief`` (a chief editor or administrator, who
    sees 审核中的稿件), ``reviews`` (see ``reviews_in_reach``), ``locked`` (a page locked by the user),
    ``writes`` (a channel the user may write in: writing.writable_channels is not empty), ``owns`` (我的稿件
    has rows), ``edited`` (我最近的编辑 has rows), ``other_tasks`` (an active task type that 待我审核 reads
    Wagtail's way). With no page view restriction at all, Wagtail's privacy indicator is told so.
    """
    if not hasattr(request, "_newsroom_dashboard_facts"):
        user = request.user
        # As wagtail.admin.navigation.get_site_for_user, with the site's name read by the same statement.
        page_policy = policy_registry.get_by_type(Page)
        root_page = page_policy.explorable_root_instance(user)
        pages = Page.objects.descendant_of(root_page, inclusive=True) if root_page else Page.objects.none()
        images = policy_registry.get_by_type(get_image_model()).instances_user_has_any_permission_for(
            user, PERMISSIONS
        )
        documents = policy_registry.get_by_type(get_document_model()).instances_user_has_any_permission_for(
            user, PERMISSIONS
        )
        url_parts = root_page.get_url_parts() if root_page else None
        site_names = Site.objects.filter(pk=url_parts[0] if url_parts else None).values_list(
            Coalesce(NullIf("site_name", Value("")), "hostname", output_field=CharField()), flat=True
        )
        # An article can be written in every channel (ArticlePage has no max_count, ChannelIndexPage takes
        # articles), so a channel under the user's "add" permission is one writable_channels lists.
        channels = ChannelIndexPage.objects.filter(
            pk__in=page_policy.instances_user_has_permission_for(user, "add").values("pk")
        )
        (total_pages, total_images, total_docs, site_name, *flags) = count_each(
            pages,
            images,
            documents,
            values={"site_name": site_names},
            exists={
                "chief": user.groups.filter(name=CHIEF_EDITORS),
                "reviews": reviews_in_reach(user),
                "locked": Page.objects.filter(locked=True, locked_by=user),
                "writes": channels if user.is_active else ChannelIndexPage.objects.none(),
                "other_tasks": Task.objects.filter(active=True).exclude(content_type__in=known_task_types()),
                "owns": Page.objects.filter(owner=user),
                "edited": PageLogEntry.objects.filter(user=user, action="wagtail.edit"),
                "restrictions": PageViewRestriction.objects.all(),
            },
        )
        if root_page and root_page.is_root():
            # As Wagtail does: the tree root is not a real page, and with one site the link goes to its home.
            total_pages -= 1
            site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
            root_page = site.root_page if site else root_page
        chief, reviews, locked, writes, other_tasks, owns, edited, restrictions = (bool(flag) for flag in flags)
        chief = user.is_superuser or chief
        # The answer page_permissions.is_chief_editor keeps for the request.
        user._newsroom_chief = chief
        if not restrictions:
            # What Wagtail's privacy indicator reads once per request (wagtailadmin_tags.test_page_is_public).
            request.all_page_view_restriction_paths = []
        request._newsroom_dashboard_facts = {
            "root_page": root_page,
            "site_name": site_name or settings.WAGTAIL_SITE_NAME,
            "total_pages": total_pages,
            "total_images": total_images,
            "total_docs": total_docs,
            "chief": chief,
            "reviews": reviews,
            "locked": locked,
            "writes": writes,
            "other_tasks": other_tasks,
            "owns": owns,
            "edited": edited,
        }
    return request._newsroom_dashboard_facts


class NewsroomPagesSummaryItem(PagesSummaryItem):
    def get_context_data(self, parent_context):
        counts = dashboard_facts(self.request)
        return {key: counts[key] for key in ("root_page", "total_pages", "site_name")}


class NewsroomImagesSummaryItem(ImagesSummaryItem):
    def get_context_data(self, parent_context):
        counts = dashboard_facts(self.request)
        return {key: counts[key] for key in ("total_images", "site_name")}


class NewsroomDocumentsSummaryItem(DocumentsSummaryItem):
    def get_context_data(self, parent_context):
        counts = dashboard_facts(self.request)
        return {key: counts[key] for key in ("total_docs", "site_name")}


REPLACEMENTS = {
    PagesSummaryItem: NewsroomPagesSummaryItem,
    ImagesSummaryItem: NewsroomImagesSummaryItem,
    DocumentsSummaryItem: NewsroomDocumentsSummaryItem,
}


def share_summary_counts(request, items):
    """``construct_homepage_summary_items`` hook: swap Wagtail's items for the ones sharing one count query."""
    items[:] = [REPLACEMENTS[type(item)](request) if type(item) in REPLACEMENTS else item for item in items]


def reviews_in_reach(user):
    """Reviews in progress that could be this user's to act on: a superset, for an existence check.

    A superset of what the review tasks (newsroom/models.py) offer: reviews naming the user as
    reviewer, and group stages of the user's groups (any group stage for a superuser).
    """
    in_progress = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS, task__active=True)
    if user.is_superuser:
        return in_progress
    group_tasks = GroupApprovalTask.objects.filter(groups__user=user).values("pk")
    custom_group_tasks = SeparateApproverGroupTask.objects.filter(groups__user=user).values("pk")
    return in_progress.filter(
        Q(responsibleeditortaskstate__reviewer=user)
        | Q(task__in=group_tasks)
        | Q(task__in=custom_group_tasks)
        # A task type this check does not know decides for itself: keep its reviews in.
        | ~Q(task__content_type__in=known_task_types())
    )


def known_task_types():
    """Content types of the task types whose reviews this module and 待我审核 (newsroom/panels.py) read directly."""
    return [
        ContentType.objects.get_for_model(model, for_concrete_model=False)
        for model in (ResponsibleEditorTask, SeparateApproverGroupTask, GroupApprovalTask)
    ]


EMPTY_WHEN = {"workflow_objects_to_moderate": "reviews", "locked_pages": "locked", "recent_edits": "edited"}


def without_empty_panels(request, panels):
    """``construct_homepage_panels`` hook: leave out 待我审核, 我锁定的页面 and 我最近的编辑 when empty."""
    probe = dashboard_facts(request)
    panels[:] = [
        panel for panel in panels if getattr(panel, "name", "") not in EMPTY_WHEN or probe[EMPTY_WHEN[panel.name]]
    ]


class NewsroomRecentEditsPanel(RecentEditsPanel):
    """我最近的编辑 as Wagtail shows it, its pages read in one query ordered by the user's last edit."""

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super(RecentEditsPanel, self).get_context_data(parent_context)
        edit_count = getattr(settings, "WAGTAILADMIN_RECENT_EDITS_LIMIT", 5)
        edits = PageLogEntry.objects.filter(user=request.user, action="wagtail.edit")
        last_edited = (
            edits.filter(page_id=OuterRef("pk")).values("page_id").annotate(latest=Max("timestamp")).values("latest")
        )
        edited_pages = (
            edits.values("page_id")
            .annotate(latest=Max("timestamp"))
            .order_by("-latest")
            .values("page_id")[:edit_count]
        )
        pages = (
            Page.objects.filter(pk__in=list_or_subquery(edited_pages))
            .annotate(last_edited_at=Subquery(last_edited))
            .order_by("-last_edited_at")
            .prefetch_workflow_states()
            .annotate_approved_schedule()
            .annotate(_withdrawn=open_withdrawal())
            .specific(defer=True)
        )
        context["last_edits"] = [(page.last_edited_at, page) for page in pages]
        context["request"] = request
        return context


def list_or_subquery(queryset):
    """A ``LIMIT`` subquery for ``pk__in``; MySQL, which refuses one, gets the list (one more query)."""
    return list(queryset) if connection.vendor == "mysql" else queryset


PANEL_REPLACEMENTS = {RecentEditsPanel: NewsroomRecentEditsPanel}


def lighter_panels(request, panels):
    """``construct_homepage_panels`` hook: Wagtail's panels that have a lighter equivalent here."""
    panels[:] = [PANEL_REPLACEMENTS[type(panel)]() if type(panel) in PANEL_REPLACEMENTS else panel for panel in panels]
