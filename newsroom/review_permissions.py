"""What an article's admin offers: Wagtail's page permissions, less restructuring a piece under review.

Wagtail builds the "…" menus of the edit page header and of the channel listing, the bulk actions and the
move/copy/delete views from one permission tester, so a reporter is neither offered nor allowed to move,
copy or delete a piece in review. The rule itself is review_gate's; refused requests are answered with its
Chinese reason (the views below) rather than Wagtail's generic "no permission". Editing follows Wagtail too,
and also lets the responsible editor named on a live article start a 更正 of it (newsroom/corrections.py).
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.views.pages.copy import CopyView
from wagtail.admin.views.pages.delete import DeleteView
from wagtail.admin.views.pages.move import MoveChooseDestinationView
from wagtail.models import Page, PagePermissionTester

from articles.models import ArticlePage
from pagecache.generation import per_generation

from .corrections import may_correct
from .review_gate import restructure_refusal
from .review_gate_hooks import _refuse


class ArticlePermissionTester(PagePermissionTester):
    def can_edit(self):
        if super().can_edit():
            return True
        # The responsible editor named on a live article may edit it to start a 更正; the change goes
        # through the channel's review like any other. Cheap checks first: listings ask this for every row.
        newsroom_member = "add" in getattr(self, "permissions", ())
        return self.page.live and newsroom_member and self.names_user() and may_correct(self.user)

    def names_user(self):
        """Whether the live article names the user as its 责任编辑, without a query per row of a listing."""
        if "responsible_editor_id" in self.page.__dict__:  # the editor's full row
            return self.page.responsible_editor_id == self.user.pk
        # Listings defer the field: the ids of the live articles naming the user, read once and kept until any
        # article changes ("all"), and on the user object for the rest of the request.
        named = getattr(self.user, "_qingshan_named_articles", None)  # request.user is a lazy proxy: no __dict__
        if named is None:
            user_id = self.user.pk

            def compute():
                articles = ArticlePage.objects.live().filter(responsible_editor_id=user_id)
                return frozenset(articles.values_list("pk", flat=True))

            named = self.user._qingshan_named_articles = per_generation(
                f"named-articles-{user_id}", compute, keys=["all"]
            )
        return self.page.pk in named

    def can_delete(self, ignore_bulk=False):
        # Wagtail's can_move() is can_delete(ignore_bulk=True): this refuses moving as well.
        if restructure_refusal(self.user, self.page, "删除") is not None:
            return False
        if self.page.is_leaf() and self.user.is_active and not self.user.is_superuser:
            return self.can_delete_leaf()
        return super().can_delete(ignore_bulk)

    def can_delete_leaf(self):
        """Wagtail's can_delete for a page without children, from the row already loaded.

        Wagtail asks the database whether any page in the subtree is live or someone else's; an article has
        no subtree, so that is the page itself, and a channel's listing then costs no query per row.
        """
        if "change" in self.permissions:
            return "publish" in self.permissions or not self.page.live
        if "add" in self.permissions:
            owned = self.page.owner_id == self.user.pk
            return owned if "publish" in self.permissions else owned and not self.page.live
        return False

    def can_copy(self):
        return restructure_refusal(self.user, self.page, "复制") is None and super().can_copy()


class ChannelPermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        # Channels are the site's structure: only those who may change them (chief editors) move or delete
        # one. Wagtail would let a reporter with "add" move or delete a channel holding only their drafts,
        # an empty one included, and asks the database so on every channel list they open.
        if not (self.user.is_superuser or "change" in self.permissions):
            return False
        return super().can_delete(ignore_bulk)


class RestructureRefusalMixin:
    """Answer a refused move, copy or delete of a piece under review with the reason, in Chinese.

    Wagtail checks the permission tester before its before_move/copy/delete_page hooks run, so a request
    refused by the tester above (a stale listing, a bookmarked link) would only hear "no permission".
    """

    verb = ""
    page_id_kwarg = "page_id"

    def setup(self, request, *args, **kwargs):
        self.refusal = None
        try:
            super().setup(request, *args, **kwargs)
        except PermissionDenied:
            if not self.refused(request, kwargs):
                raise

    def dispatch(self, request, *args, **kwargs):
        if self.refusal is None:
            try:
                return super().dispatch(request, *args, **kwargs)
            except PermissionDenied:
                if not self.refused(request, kwargs):
                    raise
        return _refuse(request, self.refusal, self.refused_page)

    def refused(self, request, kwargs):
        self.refused_page = Page.objects.get(pk=kwargs[self.page_id_kwarg]).specific_deferred
        self.refusal = restructure_refusal(request.user, self.refused_page, self.verb)
        return self.refusal is not None


class ArticleMoveView(RestructureRefusalMixin, MoveChooseDestinationView):
    verb = "移动"
    page_id_kwarg = "page_to_move_id"


class ArticleCopyView(RestructureRefusalMixin, CopyView):
    verb = "复制"


class ArticleDeleteView(RestructureRefusalMixin, DeleteView):
    verb = "删除"


# For the article's PageViewSet (newsroom/review_views.py).
VIEW_CLASSES = {
    "move_view_class": ArticleMoveView,
    "copy_view_class": ArticleCopyView,
    "delete_view_class": ArticleDeleteView,
}
