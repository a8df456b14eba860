"""置顶 in the admin menu: chief editors pin live articles to the top of their channel (and the home page).

Only chief editors and administrators see the menu item or may open its screens (others get 403). The
article is picked from live articles only, newest first. A pin's save or delete refreshes exactly the lists
that show it (articles/pins.py).
"""

import functools

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from articles.models import ArticlePage
from articles.pins import ArticlePin
from articles.text import person_name

from .page_permissions import is_chief_editor
from .roles import CHIEF_EDITORS


class ChiefEditorsOnly(BasePermissionPolicy):
    """Every action for chief editors and administrators, none for anyone else."""

    def user_has_permission(self, user, action):
        return is_chief_editor(user)

    def user_has_any_permission(self, user, actions):
        return is_chief_editor(user)

    def users_with_any_permission(self, actions):
        chiefs = Q(is_superuser=True) | Q(groups__name=CHIEF_EDITORS)
        return get_user_model().objects.filter(chiefs, is_active=True).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


register_permission_policy(ArticlePin, ChiefEditorsOnly(ArticlePin))


class ChiefEditorViewsMixin:
    """Every view of the viewset answers 403 to anyone but a chief editor (Wagtail's own refusal is a
    redirect to the dashboard)."""

    def construct_view(self, view_class, **kwargs):
        view = super().construct_view(view_class, **kwargs)

        @functools.wraps(view)
        def chief_editors_only(request, *args, **kwargs):
            if not is_chief_editor(request.user):
                return TemplateResponse(request, "newsroom/admin/pins_forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return chief_editors_only


def live_articles():
    return ArticlePage.objects.live().order_by("-date", "-pk")


class LiveArticleChooseViewMixin:
    @property
    def columns(self):
        return [
            self.title_column,
            Column("channel", label="栏目", accessor=lambda article: article.channel or ""),
            DateColumn("date", label="发布时间"),
        ]


class LiveArticleChooseView(LiveArticleChooseViewMixin, chooser_views.ChooseView):
    pass


class LiveArticleChooseResultsView(LiveArticleChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class LiveArticleChooserViewSet(ChiefEditorViewsMixin, ChooserViewSet):
    """Picks a live article, newest first, searchable by title (the 置顶 form's article field)."""

    model = ArticlePage
    icon = "doc-full"
    choose_one_text = "选择文章"
    choose_another_text = "另选文章"
    edit_item_text = "编辑文章"
    page_title = "选择已发布的文章"
    search_tab_label = "搜索"
    choose_view_class = LiveArticleChooseView
    choose_results_view_class = LiveArticleChooseResultsView
    # Only this form uses it: other article fields keep Wagtail's page chooser.
    register_widget = False

    def get_object_list(self):
        return live_articles().select_related("channel")


live_article_chooser = LiveArticleChooserViewSet("live_article_chooser", url_prefix="newsroom/live-articles")


class PinForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        article.queryset = ArticlePage.objects.live()
        article.error_messages["invalid_choice"] = "只能置顶已发布的文章。"

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now() and "expires_at" in self.changed_data:
            raise forms.ValidationError("到期时间应晚于现在。")
        return expires_at


class PinCreateView(generic.CreateView):
    def get_breadcrumbs_items(self):
        # Wagtail's "New: …" is not in its Chinese catalogue.
        items = super().get_breadcrumbs_items()
        return items[:-1] + [{"url": "", "label": "添加置顶"}]

    def save_instance(self):
        self.form.instance.pinned_by = self.request.user
        return super().save_instance()


class PinIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("article__channel", "pinned_by")


class StateColumn(Column):
    def get_value(self, instance):
        return "生效中" if instance.is_active else "已过期"


class PinViewSet(ChiefEditorViewsMixin, ModelViewSet):
    """置顶: Wagtail's listing, add, edit and delete, for chief editors."""

    model = ArticlePin
    name = "pins"
    url_prefix = "newsroom/pins"
    icon = "pick"
    menu_label = "置顶"
    menu_order = 840
    add_to_admin_menu = True
    index_view_class = PinIndexView
    add_view_class = PinCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["sort_order", "-created_at", "-pk"]

    @cached_property
    def edit_handler(self):
        return ObjectList(
            [
                FieldPanel("article", widget=live_article_chooser.widget_class()),
                FieldRowPanel([FieldPanel("sort_order"), FieldPanel("expires_at")]),
                FieldPanel("show_on_home"),
            ],
            base_form_class=PinForm,
        )

    @property
    def list_display(self):
        return [
            "article",
            Column("channel", label="栏目", accessor=lambda pin: pin.article.channel or ""),
            Column("sort_order", label="顺序"),
            Column("show_on_home", label="首页", accessor=lambda pin: "是" if pin.show_on_home else "否"),
            DateColumn("expires_at", label="到期时间"),
            StateColumn("state", label="状态"),
            Column("pinned_by", label="置顶人", accessor=lambda pin: pin.pinned_by and person_name(pin.pinned_by)),
            DateColumn("created_at", label="置顶时间"),
        ]


def viewsets():
    """The viewsets to register: the 置顶 screens and their article chooser."""
    return [live_article_chooser, PinViewSet()]
