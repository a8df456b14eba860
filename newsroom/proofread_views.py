"""审校 in the article editor: the side panel, the live check it asks for as the writer types, and a refused
submit that keeps the writer's text.

The live check binds the editor's form to what the browser sends, as Wagtail's live preview does
(``wagtail.admin.views.pages.preview``), builds the article from it without saving anything, and answers with
the findings of ``proofreading.findings_for``: the very checks 提交审核 and each approval run on the server.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.side_panels import BaseSidePanel
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import Page

from . import proofreading
from .review_gate import is_article

FINDINGS_TEMPLATE = "newsroom/admin/side_panels/proofreading_findings.html"
# Form data the editor's form cannot produce (a missing StreamField count, a non-number where one belongs)
# makes the form's widgets raise these while binding: the request is malformed, not the server.
MALFORMED = (KeyError, ValueError, TypeError)


def findings_context(findings):
    return {
        "findings": findings,
        "blocking": sum(1 for finding in findings if finding["level"] == "block"),
        "warnings": sum(1 for finding in findings if finding["level"] == "warn"),
    }


class ProofreadView(View):
    """POST the editor's form: the 审校 findings for the article as typed, nothing saved.

    Answers JSON: ``findings`` (each with its rule, level, offsets, text, reason, suggestion and the text
    around it) and ``html``, the panel's list. 403 for someone who may not edit the article, 400 for a
    request that is not the editor's form.
    """

    http_method_names = ["post"]

    def post(self, request, **kwargs):
        try:
            page, parent = self.get_page()
        except PermissionDenied:
            return JsonResponse({"error": "你没有编辑这篇稿件的权限。"}, status=403)
        if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return JsonResponse({"error": "请提交稿件编辑表单。"}, status=400)
        if "title" not in request.POST:
            return JsonResponse({"error": "请求中没有稿件编辑表单的内容。"}, status=400)
        form_class = page.get_edit_handler().get_form_class()
        try:
            form = form_class(request.POST, instance=page, parent_page=parent, for_user=request.user)
            # As an autosave would: a half-written article is checked too, with whatever fields are valid.
            form.defer_required_fields()
            form.is_valid()
        except MALFORMED:
            return JsonResponse({"error": "稿件编辑表单的内容不完整或格式不对。"}, status=400)
        findings = proofreading.shown_findings(form.instance, request)
        context = findings_context(findings)
        return JsonResponse(
            {
                "findings": findings,
                "blocking": context["blocking"],
                "warnings": context["warnings"],
                "html": render_to_string(FINDINGS_TEMPLATE, context, request=request),
            }
        )


class ProofreadEditView(ProofreadView):
    def get_page(self):
        page = get_object_or_404(Page.objects.select_related("latest_revision"), id=self.kwargs["page_id"])
        if not is_article(page):
            raise Http404
        page = page.get_latest_revision_as_object()
        if not page.permissions_for_user(self.request.user).can_edit():
            raise PermissionDenied
        return page, page.get_parent().specific


class ProofreadCreateView(ProofreadView):
    def get_page(self):
        try:
            content_type = ContentType.objects.get_by_natural_key(
                self.kwargs["content_type_app_name"], self.kwargs["content_type_model_name"]
            )
        except ContentType.DoesNotExist as missing:
            raise Http404 from missing
        model = content_type.model_class()
        if model is None or not is_article(model):
            raise Http404
        parent = get_object_or_404(Page, id=self.kwargs["parent_page_id"]).specific
        if not parent.permissions_for_user(self.request.user).can_add_subpage() or not model.can_create_at(parent):
            raise PermissionDenied
        page = model()
        # A place in the tree, as Wagtail's preview of a new page gives it, for the form's validation.
        page.depth = parent.depth + 1
        last = parent.get_last_child()
        page.path = page._get_path(parent.path, page.depth, 1) if last is None else last._inc_path()
        return page, parent


class ProofreadingSidePanel(BaseSidePanel):
    """审校: the content checks' findings, refreshed as the writer types (proofreading-panel.js asks
    ``ProofreadView``), the same findings the submit and each approval are checked against. Before the first
    refresh it lists the findings of the latest saved version."""

    class SidePanelToggle(BaseSidePanel.SidePanelToggle):
        aria_label = "显示或隐藏审校结果"
        icon_name = "warning"

    class Media:
        js = ["newsroom/js/proofreading-panel.js"]
        css = {"all": ["newsroom/css/proofreading-panel.css"]}

    name = "proofreading"
    title = "审校"
    template_name = "newsroom/admin/side_panels/proofreading.html"
    order = 360

    def __init__(self, object, request, *, parent_page=None):
        super().__init__(object, request)
        self.parent_page = parent_page

    def check_url(self):
        if self.object.pk:
            return reverse("newsroom_proofread_edit", args=(self.object.pk,))
        meta = self.object._meta
        return reverse("newsroom_proofread_create", args=(meta.app_label, meta.model_name, self.parent_page.pk))

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        revision = self.object.get_latest_revision() if self.object.pk else None
        page = proofreading.revision_text(revision) if revision is not None else self.object
        context.update(findings_context(proofreading.shown_findings(page, self.request)))
        context["check_url"] = self.check_url()
        return context


class DraftOnRefusedSubmitMixin:
    """A submit the content checks refuse keeps the writer's text: it is saved as a draft (not submitted) and
    the editor opens again on it, with a message listing what to change. Wagtail's invalid-form path would
    show the form once more but save nothing, and the text would be lost with the tab."""

    refused = ""

    def form_invalid(self, form):
        refusal = proofreading.refused_submit(form)
        if not refusal or self.expects_json_response or getattr(self, "locked_for_user", False):
            return super().form_invalid(form)
        del form.errors["__all__"]
        self.refused = refusal
        self.has_content_changes = form.has_changed()
        return self.save_refused_draft()

    def save_refused_draft(self):
        return self.save_action()

    def add_refused_message(self):
        messages.error(self.request, f"已保存为草稿,未提交审核:{self.refused}")

    def add_save_confirmation_message(self):
        if self.refused:
            return self.add_refused_message()
        return super().add_save_confirmation_message()


class ArticleCreateView(DraftOnRefusedSubmitMixin, CreateView):
    """Writing a new article: with the 审校 side panel, and a refused submit saved as a draft."""

    def get_side_panels(self):
        panels = super().get_side_panels()
        panels.append(ProofreadingSidePanel(self.page, self.request, parent_page=self.parent_page))
        return panels

    def save_refused_draft(self):
        # Wagtail's save_action, with the refusal said instead of "created".
        self.page = self.form.save(commit=False)
        self.page.live = False
        self.parent_page.add_child(instance=self.page)
        self.set_default_privacy_setting()
        self.page.save_revision(user=self.request.user, log_action=True, clean=False)
        self.subscription.page = self.page
        self.subscription.save()
        self.add_refused_message()
        response = self.run_hook("after_create_page", self.request, self.page)
        return response or self.redirect_and_remain()
