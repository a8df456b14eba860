"""审校 in the admin menu: the site's 敏感词 and 错别字 lists, kept by chief editors.

Each list has Wagtail's listing (search, filter), add, edit and delete, plus 导入 (a text file, see
newsroom/wordlists.py) and 导出 (the same format). Who sees the menu and may use the views is decided by the
model permissions, which `setup_newsroom` gives to chief editors (superusers have them all).
"""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.views.generic import FormView, View
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from .models import CheckLevel, SensitiveWord, TypoPair
from .wordlists import LineError, SensitiveWordFormat, TypoPairFormat, decode, export_text, import_text

SKIPPED_SHOWN = 50  # lines listed in the message after an import; the count says how many more


class WordListIndexView(IndexView):
    import_url_name = None
    export_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(HeaderButton("导入", url=reverse(self.import_url_name), icon_name="upload"))
        buttons.append(HeaderButton("导出", url=reverse(self.export_url_name), icon_name="download"))
        return buttons


class WordListCreateView(CreateView):
    def get_breadcrumbs_items(self):
        # Wagtail's "New: …" is not in its Chinese catalogue.
        items = super().get_breadcrumbs_items()
        return items[:-1] + [{"url": "", "label": f"添加{self.model._meta.verbose_name}"}]

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class ImportForm(forms.Form):
    file = forms.FileField(label="文本文件", help_text="UTF-8 编码,每行一条。")

    def __init__(self, *args, help_text="", with_level=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text
        if with_level:
            self.fields["level"] = forms.ChoiceField(
                label="级别",
                choices=CheckLevel.choices,
                initial=CheckLevel.BLOCK,
                help_text="未在行内注明级别的词使用此级别。",
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            return decode(upload.read())
        except LineError as error:
            raise forms.ValidationError(str(error)) from error


class WordListImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """导入: add and update entries from a text file; bad lines are listed by number, the rest are kept."""

    permission_required = "add"
    template_name = "newsroom/admin/wordlist_form.html"
    header_icon = "upload"
    model = None
    text_format = None
    help_text = ""
    index_url_name = None
    import_url_name = None

    def get_page_title(self):
        return f"导入{self.model._meta.verbose_name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural},
            {"url": "", "label": "导入"},
        ]

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "help_text": self.help_text,
            "with_level": self.text_format is SensitiveWordFormat,
        }

    def get_form_class(self):
        return ImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse(self.import_url_name),
            submit_button_label="导入",
            submit_button_active_label="正在导入…",
            **kwargs,
        )

    def form_valid(self, form):
        level = form.cleaned_data.get("level")
        text_format = self.text_format(level) if level else self.text_format()
        report = import_text(form.cleaned_data["file"], text_format, user=self.request.user)
        messages.success(self.request, f"导入完成:{report.summary()}。")
        if report.skipped:
            shown = ";".join(f"第 {number} 行:{reason}" for number, reason in report.skipped[:SKIPPED_SHOWN])
            more = len(report.skipped) - SKIPPED_SHOWN
            messages.warning(self.request, f"以下各行未导入:{shown}" + (f";另有 {more} 行" if more > 0 else ""))
        return redirect(self.index_url_name)


class WordListExportView(PermissionCheckedMixin, View):
    """导出: the whole list as a text file in the import format."""

    any_permission_required = ["add", "change", "delete", "view"]
    model = None
    text_format = None
    filename = None

    def get(self, request):
        return HttpResponse(
            export_text(self.model.objects.all(), self.text_format()),
            content_type="text/plain; charset=utf-8",
            headers={"Content-Disposition": content_disposition_header(True, self.filename)},
        )


class WordListViewSet(ModelViewSet):
    """A word list's screens: Wagtail's listing and forms, with 导入 and 导出."""

    index_view_class = WordListIndexView
    add_view_class = WordListCreateView
    copy_view_enabled = False
    text_format = None
    import_help_text = ""
    export_filename_text = ""
    index_results_template_name = "newsroom/admin/wordlist_index_results.html"
    create_template_name = "newsroom/admin/wordlist_form.html"
    edit_template_name = "newsroom/admin/wordlist_form.html"

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            import_url_name=self.get_url_name("import"), export_url_name=self.get_url_name("export"), **kwargs
        )

    @property
    def import_view(self):
        return WordListImportView.as_view(
            model=self.model,
            text_format=self.text_format,
            help_text=self.import_help_text,
            index_url_name=self.get_url_name("index"),
            import_url_name=self.get_url_name("import"),
        )

    @property
    def export_view(self):
        return WordListExportView.as_view(
            model=self.model, text_format=self.text_format, filename=self.export_filename_text
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("import/", self.import_view, name="import"),
            path("export/", self.export_view, name="export"),
        ]


class SensitiveWordViewSet(WordListViewSet):
    model = SensitiveWord
    name = "sensitive_words"
    icon = "warning"
    menu_label = "敏感词"
    form_fields = ["word", "level", "note"]
    list_display = ["word", "level", "note", "created_at"]
    list_filter = ["level"]
    search_fields = ["word", "note"]
    text_format = SensitiveWordFormat
    import_help_text = "UTF-8 编码,每行一个词;可在词后用制表符隔开,注明级别(拦截或提示)和说明:词、级别、说明。"
    export_filename_text = "敏感词.txt"


class TypoPairViewSet(WordListViewSet):
    model = TypoPair
    name = "site_typos"
    icon = "edit"
    menu_label = "错别字"
    form_fields = ["wrong", "right", "note"]
    list_display = ["wrong", "right", "note", "created_at"]
    search_fields = ["wrong", "right", "note"]
    text_format = TypoPairFormat
    import_help_text = "UTF-8 编码,每行一对,用制表符隔开:错误写法、正确写法,可再加说明。"
    export_filename_text = "错别字.txt"


class ProofreadingViewSetGroup(ModelViewSetGroup):
    """The 审校 menu."""

    menu_label = "审校"
    menu_icon = "clipboard-list"
    menu_order = 250
    items = (SensitiveWordViewSet, TypoPairViewSet)
