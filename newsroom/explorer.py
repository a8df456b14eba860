"""A channel's page list in the admin explorer: Wagtail's own, in a fixed number of queries.

Wagtail's explorer (wagtail.admin.views.pages.listing.ExplorableIndexView, 8.0) loads things it does not
show for a channel: the parent of every row (the parent column is not in the explorer's table), the rows'
site records (their site root state comes from an annotation), the rows' own fields (the list shows page
fields only), and the content types Django already keeps in memory. It loads the channel twice, counts
children the tree already counts, and reads the 所有者 and 编辑者 filter choices separately. This view
leaves those out; rows, columns, filters and side panel are Wagtail's, and the page reads the same.
"""

from django.conf import settings
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404, redirect
from wagtail import hooks
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet, page_viewset_registry
from wagtail.models import Page, PageLogEntry, WorkflowState

from articles.models import ChannelIndexPage

from .models import listing_workflow_states, prepare_listing_workflow_states
from .page_permissions import EXPLORE_ACTIONS
from .panels import open_withdrawal


class ChannelExplorerView(ExplorableIndexView):
    # The parent column is not in the explorer's table; without it the rows' parents are not loaded (a
    # search across the tree still loads them, in ExplorableIndexView.get_context_data).
    base_columns = [column for column in ExplorableIndexView.base_columns if column.name != "parent"]

    def get(self, request, parent_page_id=None):
        # ExplorableIndexView.get, with the channel loaded once in its own type, with the revisions its
        # status side panel shows, and whether it has a scheduled revision or a review in progress at all.
        channels = ChannelIndexPage.objects.select_related("latest_revision", "live_revision").annotate(
            _in_workflow=Exists(
                WorkflowState.objects.active().filter(
                    base_content_type=ContentType.objects.get_for_model(Page),
                    object_id=Cast(OuterRef("pk"), output_field=CharField()),
                )
            )
        )
        self.parent_page = get_object_or_404(channels.annotate_approved_schedule(), id=parent_page_id)
        if not self.parent_page._approved_schedule:
            self.parent_page.scheduled_revision = None  # DraftStateMixin's cached_property, known empty
        # What PageQuerySet.prefetch_workflow_states attaches, read only when there is something to read.
        if not self.parent_page._in_workflow:
            self.parent_page._current_workflow_states = []
        else:
            prefetch_related_objects(
                [self.parent_page],
                Prefetch(
                    "_specific_workflow_states",
                    queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                    to_attr="_current_workflow_states",
                ),
            )
        root_page = self.permission_policy.explorable_root_instance(request.user)
        if not (self.parent_page.pk == root_page.pk or self.parent_page.is_descendant_of(root_page)):
            return redirect(self.index_url_name, root_page.pk)
        self.scheduled_page = self.parent_page.get_scheduled_revision_as_object()
        self.permissions = self.parent_page.permissions_for_user(request.user)
        if self.i18n_enabled and not self.parent_page.is_root():
            self.locale = self.parent_page.locale
            self.translations = self.get_translations()
        else:
            self.locale = None
            self.translations = []
        return super(ExplorableIndexView, self).get(request)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)
        if self.lists_every_child():
            paginator.count = self.parent_page.numchild  # Paginator's cached_property: no COUNT query
        return paginator

    def lists_every_child(self):
        """Whether the list is exactly the channel's children: unsearched, unfiltered, all explorable."""
        if self.is_searching or self.is_filtering or hooks.get_hooks("construct_explorer_page_queryset"):
            return False
        user = self.request.user
        if user.is_superuser:
            return True
        # Wagtail's explorable pages include everything under a page the user holds one of these on.
        codenames = {get_permission_codename(action, Page._meta) for action in EXPLORE_ACTIONS}
        return any(
            perm.permission.codename in codenames and self.parent_page.path.startswith(perm.page.path)
            for perm in self.permission_policy.get_cached_permissions_for_user(user)
        )

    def annotate_queryset(self, pages):
        # PageListingMixin.annotate_queryset without the content type and site prefetches; the rows in their
        # own types but without their own fields, which the list does not show (one query, not one per type).
        pages = pages.specific(defer=True)
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            # PageQuerySet.prefetch_workflow_states, with what the review tasks read about each row.
            pages = pages.prefetch_related(
                Prefetch(
                    "_specific_workflow_states",
                    queryset=listing_workflow_states(self.request.user),
                    to_attr="_current_workflow_states",
                )
            )
        if self.i18n_enabled:
            pages = pages.prefetch_related("locale").annotate_has_untranslated_locale()
        return pages.annotate_site_root_state().annotate_approved_schedule().annotate(_withdrawn=open_withdrawal())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.load_people_choices()
        prepare_listing_workflow_states(context["object_list"], self.request.user)
        for page in context["object_list"]:
            # The same instance the prefetch would have attached, from Django's content type cache.
            page._state.fields_cache.setdefault("content_type", ContentType.objects.get_for_id(page.content_type_id))
        return context

    def load_people_choices(self):
        """The 所有者 and 编辑者 filters' choices, read together: one query where Wagtail makes one each."""
        fields = self.filters.form.fields if self.filters else {}
        if "owner" not in fields or "edited_by" not in fields:
            return
        # The same people as PageFilterSet's querysets: those who own a page, those who edited one.
        people = list(
            get_user_model()
            .objects.annotate(
                _owns=Exists(Page.objects.filter(owner=OuterRef("pk"))),
                _edited=Exists(PageLogEntry.objects.filter(action="wagtail.edit", user=OuterRef("pk"))),
            )
            .filter(Q(_owns=True) | Q(_edited=True))
        )
        for name, chosen in (("owner", "_owns"), ("edited_by", "_edited")):
            field = fields[name]
            choice = field.iterator(field).choice
            field.widget.choices = [choice(person) for person in people if getattr(person, chosen)]


class ChannelPageViewSet(PageViewSet):
    """Wagtail's page views (base_page_viewset), with ChannelExplorerView listing a channel's pages.

    Registered for exploring channels only: a channel's own views (edit, history, page type usage) stay
    base_page_viewset's.
    """

    model = Page
    index_view_class = ChannelExplorerView

    def on_register(self):
        # PageViewSet.on_register would take over every page's views and Page's admin URL finder.
        page_viewset_registry.values_by_parent_model[ChannelIndexPage] = self
