"""Admin hooks for 发稿单: its URLs, and the menu item that chief editors open the list from."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .page_permissions import is_chief_editor
from .records_views import record_detail, record_list, record_pdf


@hooks.register("register_admin_urls")
def register_publication_record_urls():
    return [
        path("newsroom/records/", record_list, name="newsroom_publication_records"),
        path("newsroom/records/<int:record_id>/", record_detail, name="newsroom_publication_record"),
        path("newsroom/records/<int:record_id>/pdf/", record_pdf, name="newsroom_publication_record_pdf"),
    ]


class ChiefEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_chief_editor(request.user)


@hooks.register("register_admin_menu_item")
def register_publication_records_menu_item():
    return ChiefEditorMenuItem("发稿单", reverse("newsroom_publication_records"), icon_name="doc-full", order=850)
