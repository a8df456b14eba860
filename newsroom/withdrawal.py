"""撤稿: a chief editor withdraws a live article, giving a reason that is kept.

Wagtail's unpublish view for articles becomes the 撤稿 form (``WithdrawView``): a reason is required and
公开理由 decides whether readers see it. The article is unpublished, so every list, feed, search and the
sitemap drop it, and an ``ArticleWithdrawal`` makes its address answer 410 (``ChannelIndexPage.route``). Getting
it back is a review like any other: the withdrawn article is submitted, and the approval that publishes it
closes the withdrawal. Each step leaves an entry, with the reason, in the page history.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.views.pages.unpublish import UnpublishView
from wagtail.log_actions import log
from wagtail.signals import page_published

from articles.models import ArticlePage, ArticlePin, ArticleWithdrawal

from .page_permissions import is_chief_editor

WITHDRAW_ACTION = "newsroom.article_withdrawn"
RESTORE_ACTION = "newsroom.article_restored"
BULK_REFUSAL = "稿件须逐篇撤稿并填写撤稿理由:请在稿件的“撤稿”页面操作。"


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="撤稿理由",
        widget=forms.Textarea({"rows": 3}),
        help_text="记入页面历史和撤稿记录。",
        error_messages={"required": "撤稿必须填写理由。"},
    )
    reason_public = forms.BooleanField(
        label="公开理由", required=False, help_text="勾选后,读者打开原文地址时会看到撤稿理由;不勾选只显示撤稿日期。"
    )


@transaction.atomic
def withdraw(page, user, reason, reason_public=False):
    """Unpublish the live article ``page`` and keep why; its address then answers 410. Its 置顶, if any, is
    removed (``withdrawal.unpinned`` says so): a restored article is pinned again only if a chief editor chooses to."""
    withdrawal = ArticleWithdrawal.objects.create(
        page=page, reason=reason, reason_public=reason_public, withdrawn_by=user
    )
    page.unpublish(user=user, log_action=None)
    unpinned, _ = ArticlePin.objects.filter(article=page).delete()
    log(
        instance=page,
        action=WITHDRAW_ACTION,
        user=user,
        data={
            "reason": reason,
            "reason_public": reason_public,
            "withdrawal_id": withdrawal.pk,
            "unpinned": bool(unpinned),
        },
    )
    withdrawal.unpinned = bool(unpinned)
    return withdrawal


class WithdrawView(UnpublishView):
    """Wagtail's unpublish confirmation, for articles: the 撤稿 form with its reason and 公开理由."""

    template_name = "newsroom/admin/confirm_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_chief_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", WithdrawalForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = WithdrawalForm(request.POST)
        if not self.object.live:
            messages.error(request, f"《{self.object.get_admin_display_title()}》未发布,无需撤稿。")
            return redirect(self.get_next_url())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        withdrawal = withdraw(
            self.object, request.user, form.cleaned_data["reason"], form.cleaned_data["reason_public"]
        )
        unpinned = "置顶已同时取消。" if withdrawal.unpinned else ""
        messages.success(request, f"稿件《{self.object.get_admin_display_title()}》已撤稿。{unpinned}")
        return redirect(self.get_next_url())


def close_withdrawal(sender, instance, revision=None, **kwargs):
    """``page_published``: a withdrawn article back through review is restored; its withdrawal is closed."""
    open_withdrawals = ArticleWithdrawal.objects.filter(page_id=instance.pk, restored_at=None)
    withdrawal = open_withdrawals.order_by("-withdrawn_at").first()
    if withdrawal is None:
        return
    open_withdrawals.update(restored_at=timezone.now())
    log(
        instance=instance,
        action=RESTORE_ACTION,
        data={"reason": withdrawal.reason, "withdrawal_id": withdrawal.pk},
        revision=revision,
    )


def connect():
    page_published.connect(close_withdrawal, sender=ArticlePage, dispatch_uid="qingshan-withdrawal-restored")
