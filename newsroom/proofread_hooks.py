"""审校's admin hooks: the editor's live check and the history's 审校 entries (imported by wagtail_hooks)."""

from django.urls import path
from wagtail import hooks

from .proofread_views import ProofreadCreateView, ProofreadEditView
from .proofreading import ProofreadLogFormatter


@hooks.register("register_admin_urls")
def register_proofread_urls():
    return [
        path("newsroom/proofread/<int:page_id>/", ProofreadEditView.as_view(), name="newsroom_proofread_edit"),
        path(
            "newsroom/proofread/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
            ProofreadCreateView.as_view(),
            name="newsroom_proofread_create",
        ),
    ]


@hooks.register("register_log_actions")
def register_proofread_log_action(actions):
    actions.register_action("newsroom.proofread")(ProofreadLogFormatter)
