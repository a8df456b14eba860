"""设置 → 审核期限: chief editors set how long each review stage may take, per channel or for all channels.

The limit is kept as a duration (the panels order by it in SQL) and edited in hours, the unit desks use.
Who sees the menu and may use the views is decided by the model permissions, which `setup_newsroom` gives
to chief editors (superusers have them all).
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Task

from articles.models import ChannelIndexPage

from .deadlines import duration_text
from .models import ReviewDeadline

ALL_CHANNELS = "所有其他栏目"


class ReviewDeadlineForm(forms.ModelForm):
    hours = forms.DecimalField(
        label="时限(小时)",
        min_value=Decimal("0.25"),
        max_value=Decimal("720"),
        decimal_places=2,
        help_text="从稿件提交到该环节时起算;可填小数,如 0.5 即 30 分钟。",
    )

    class Meta:
        model = ReviewDeadline
        fields = ["channel", "task"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = ChannelIndexPage.objects.order_by("path")
        self.fields["channel"].empty_label = ALL_CHANNELS
        self.fields["task"].queryset = Task.objects.filter(active=True).order_by("name")
        self.fields["task"].empty_label = None
        if self.instance.limit is not None:
            hours = Decimal(self.instance.limit.total_seconds()) / 3600
            self.initial["hours"] = hours.quantize(Decimal("0.01")).normalize()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hours") is not None:
            # Set before the model's own checks (unique per channel and stage) run on the instance.
            self.instance.limit = timedelta(hours=float(cleaned["hours"]))
        return cleaned


def channel_label(deadline):
    return deadline.channel.title if deadline.channel_id else ALL_CHANNELS


class ReviewDeadlineIndexView(IndexView):
    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column("channel", label="栏目", accessor=channel_label, get_url=self.get_edit_url),
            Column("task", label="审核环节", accessor=lambda deadline: deadline.task.name),
            Column("limit", label="时限", accessor=lambda deadline: duration_text(deadline.limit)),
        ]


class ReviewDeadlineCreateView(CreateView):
    def get_breadcrumbs_items(self):
        # Wagtail's "New: …" is not in its Chinese catalogue.
        items = super().get_breadcrumbs_items()
        return items[:-1] + [{"url": "", "label": "添加审核期限"}]


class ReviewDeadlineViewSet(ModelViewSet):
    model = ReviewDeadline
    name = "review_deadlines"
    icon = "time"
    menu_label = "审核期限"
    add_to_settings_menu = True
    add_view_class = ReviewDeadlineCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ReviewDeadlineIndexView
    ordering = ["channel__path", "task__name"]

    def get_form_class(self, for_update=False):
        return ReviewDeadlineForm

    def get_queryset(self, request):
        return ReviewDeadline.objects.select_related("channel", "task")
