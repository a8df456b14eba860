"""The page chooser's search results, drawn without a template per cell.

A reporter picks 相关新闻 by typing in the chooser: 25 rows of five cells per keystroke, and on a 100,000
article site each cell's template (with its includes and inclusion tags) cost more than the search itself.
The columns below write Wagtail's own markup for the common row (choosable, public, unlocked); any other
row, and any other kind of chooser (several pages at once, locales shown), is drawn by Wagtail's templates.
``tests/newsroom/test_chooser.py`` compares the two outputs, so a Wagtail upgrade that changes the markup
fails there rather than in an editor's browser.
"""

from django.template.defaultfilters import capfirst
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.templatetags.wagtailadmin_tags import querystring, test_page_is_public, timesince_simple
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import chooser


def _cell(column, content):
    if column.classname:
        return format_html('<td class="{}">{}</td>', column.classname, content)
    return format_html("<td>{}</td>", content)


class TitleColumn(chooser.PageTitleColumn):
    def render_cell_html(self, instance, parent_context):
        request = parent_context.get("request")
        if (
            self.is_multiple_choice
            or not instance.can_choose
            or instance.locked
            or parent_context.get("show_locale_labels")
            or not test_page_is_public({"request": request}, instance)
        ):
            return super().render_cell_html(instance, parent_context)
        title = instance.get_admin_display_title()
        link = format_html(
            '<a class="choose-page" href="#{id}" data-id="{id}" data-title="{title}" data-admin-title="{title_shown}"'
            ' data-url="{url}" data-parent-id="{parent}" data-edit-url="{edit}">{title_shown}</a>',
            id=instance.pk,
            title=instance.title,
            title_shown=title,
            url=str(instance.get_url(request=request)),
            parent=instance.get_parent().pk,
            edit=reverse("wagtailadmin_pages:edit", args=[instance.pk]),
        )
        classname = f"{self.classname} title" if self.classname else "title"
        return format_html('<td class="{}"><div class="title-wrapper">{}</div></td>', classname, link)


class ParentColumn(chooser.ParentPageColumn):
    def render_cell_html(self, instance, parent_context):
        if parent_context.get("show_locale_labels"):
            return super().render_cell_html(instance, parent_context)
        parent = self.get_value(instance)
        if not parent:
            return _cell(self, "")
        if not hasattr(self, "_query"):
            # The same for every row: the search's query string less its page number and words.
            self._query = querystring({"request": parent_context["request"]}, p=None, q=None)
        href = reverse("wagtailadmin_choose_page_child", args=[parent.pk]) + self._query
        return _cell(
            self, format_html('<a href="{}" class="navigate-parent">{}</a>', href, parent.get_admin_display_title())
        )


class UpdatedColumn(DateColumn):
    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        if not value:
            return _cell(self, "")
        local = localtime(value)
        return _cell(
            self,
            format_html(
                '<button type="button" class="w-human-readable-date" data-controller="w-tooltip"'
                ' data-w-tooltip-content-value="{}" data-w-tooltip-placement-value="top">'
                '<time class="w-human-readable-date__date" datetime="{}">{}</time></button>',
                date_format(local, get_format("DATETIME_FORMAT") or "N j, Y, P"),
                local.isoformat(),
                capfirst(timesince_simple(value)),
            ),
        )


class TypeColumn(Column):
    def render_cell_html(self, instance, parent_context):
        value = self.get_value(instance)
        return _cell(self, "" if value is None else value)


class StatusColumn(chooser.PageStatusColumn):
    def render_cell_html(self, instance, parent_context):
        if instance.is_root():
            return _cell(self, "")
        label = instance.status_string
        hidden = _("Current page status:")
        url = instance.get_url(request=parent_context.get("request")) if instance.live else None
        if url is not None:
            tag = format_html(
                '<a href="{}" class="w-status w-status--primary" title="{}" target="_blank" rel="noreferrer">'
                '<span class="w-sr-only">{}</span> {}</a>',
                url,
                _("Visit the live page"),
                hidden,
                label,
            )
        else:
            primary = " w-status--primary" if instance.live else ""
            tag = format_html(
                '<span class="w-status{}"><span class="w-sr-only">{}</span>{}</span>', primary, hidden, label
            )
        return _cell(self, tag)


class SearchView(chooser.SearchView):
    """Wagtail's page chooser search, with the columns above."""

    @property
    def columns(self):
        if self.is_multiple_choice:
            return super().columns
        return [
            TitleColumn("title", label=gettext_lazy("Title")),
            ParentColumn("parent", label=gettext_lazy("Parent")),
            UpdatedColumn(
                "updated", label=gettext_lazy("Updated"), width="12%", accessor="latest_revision_created_at"
            ),
            TypeColumn("type", label=gettext_lazy("Type"), width="12%", accessor="page_type_display_name"),
            StatusColumn("status", label=gettext_lazy("Status"), width="12%"),
        ]
