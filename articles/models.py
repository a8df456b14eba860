import functools
import uuid

from django.conf import settings
from django.db import models
from django.db.models.base import DEFERRED
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from pagecache import keys as cache_keys
from pagecache.generation import CachedViewRestrictionsMixin, restricted_paths

from . import renditions
from .blocks import ArticleBodyBlock
from .edit_panels import ImportedValuePanel, WordCountPanel
from .text import person_name, plain_text

__all__ = [
    "ArticlePage",
    "ArticlePageTag",
    "ArticleRelatedPage",
    "ChannelIndexPage",
]

ARTICLES_PER_PAGE = 20


@functools.lru_cache(maxsize=20_000)
def _served_path(relative_path, urlconf, script_prefix):
    # The arguments name everything reverse() reads, so an entry never goes stale.
    return reverse("wagtail_serve", args=(relative_path,), urlconf=urlconf)


class ServedPathMixin:
    """Wagtail's ``get_url_parts`` with the page's path reversed once per process: a reader's page links
    40-odd articles and channels, and ``reverse()`` was a tenth of its render."""

    def get_url_parts(self, request=None):
        sites = self._get_relevant_site_root_paths(request)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or len({site[0] for site in sites}) != 1:
            return super().get_url_parts(request)  # translations, or a page under several sites
        site_id, root_path, root_url, _ = sites[0]
        try:
            path = _served_path(self.url_path[len(root_path) :], get_urlconf(), get_script_prefix())
        except NoReverseMatch:
            return (site_id, None, None)
        if not getattr(settings, "WAGTAIL_APPEND_SLASH", True) and path != "/":
            path = path.rstrip("/")
        return (site_id, root_url, path)


class ChannelIndexPage(ServedPathMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """A channel (栏目) such as 要闻 or 科普: lists its live articles, newest first, and has its own feed."""

    intro = RichTextField("栏目介绍", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    # Who may move or delete a channel: Wagtail's rules, unless the newsroom app sets its own (newsroom/apps.py).
    permission_tester_class = PagePermissionTester

    def permissions_for_user(self, user):
        return self.permission_tester_class(user, self)

    def route(self, request, path_components):
        # An article is found with one query for its specific row (Wagtail's Page.route takes two);
        # the channel's own routes (feed/) come first, as in RoutablePageMixin.route.
        if len(path_components) == 1 and self.live:
            try:
                self.resolve_subpage(f"/{path_components[0]}/")
            except Http404:
                from pagecache.fragments import per_reader_generation

                from .rows import article_in_channel

                def find():
                    article = article_in_channel(self, path_components[0])
                    # Kept until that article changes, or, while there is none, until the channel's list does.
                    cache_keys.add(request, f"page-{article.pk}" if article else f"list-{self.pk}")
                    return article

                # Readers get the row kept until it changes: a page-cache miss whose fragments are
                # warm then costs no query at all.
                article = per_reader_generation(request, "article", [self.pk, path_components[0]], find)
                if article is not None:
                    article._cached_parent_obj = self
                    if not article.live:
                        # A withdrawn article's address answers 410 with the 撤稿 notice (a draft's stays 404):
                        # one query, only for the address of an article that is not live.
                        withdrawal = ArticleWithdrawal.objects.filter(page=article, restored_at=None).first()
                        if withdrawal is not None:
                            return RouteResult(self, args=(self.withdrawn, (withdrawal,), {}))
                    return article.route(request, [])
        return super().route(request, path_components)

    def withdrawn(self, request, withdrawal):
        """The 撤稿 notice: the date, and the reason only if made public; neither the title nor the text."""
        return TemplateResponse(request, "articles/withdrawn.html", {"withdrawal": withdrawal}, status=410)

    @path("")
    def index_route(self, request):
        from .services import ChannelPaginator

        # Lazy, and keyed where the template reads it, so the channel fragment records the list's keys.
        page_obj = cache_keys.lazy(
            request,
            lambda: ChannelPaginator(self, ARTICLES_PER_PAGE).get_page(request.GET.get("page")),
            lambda page_obj: [f"list-{self.pk}", f"page-{self.pk}"],
        )
        return self.render(request, context_overrides={"page_obj": page_obj})

    @path("feed/")
    def feed(self, request):
        from .feeds import LatestArticlesFeed

        return LatestArticlesFeed(channel=self)(request)

    def cache_state(self):
        return {"url_path": Page.objects.filter(pk=self.pk).values_list("url_path", flat=True).first()}

    def changed_cache_keys(self, before=None, deleted=False, parent=None):
        # A channel's title, place and visibility show in the menu, its list, the home page and every list
        # that labels its articles. Deleting one deletes its articles, and a new slug changes the address
        # of each of them wherever it is listed: everything.
        if deleted or (before is not None and before["url_path"] != self.url_path):
            return {"*"}
        return {f"page-{self.pk}", f"list-{self.pk}", "nav", "home", "all", f"promoted-{self.get_parent().pk}"}


def summary_from_body(raw_blocks):
    """The opening text (about 300 characters) of a body's paragraphs, from its raw JSON blocks."""
    parts, length = [], 0
    for block in raw_blocks:
        if block.get("type") == "paragraph":
            text = plain_text(block.get("value") or "")
            parts.append(text)
            length += len(text)
        if length > 300:
            break
    return " ".join(part for part in parts if part)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        # Related news reads the most recently tagged articles of each tag from here.
        indexes = [models.Index(fields=["tag", "-content_object"], name="articles_tag_newest")]


class ArticlePageQuerySet(PageQuerySet):
    def live_public(self):
        """Live articles outside every view-restricted subtree (Wagtail's ``.public()`` without its query)."""
        articles = self.live()
        for restricted in restricted_paths():
            articles = articles.exclude(path__startswith=restricted)
        return articles

    def in_channel(self, channel):
        """The articles of ``channel``, answered from the (channel, date, pk) index."""
        return self.filter(channel=channel)

    def newest_first(self):
        """By date then id, newest first: the order of every public list, which the indexes below serve."""
        return self.order_by("-date", "-pk")


class ArticlePage(ServedPathMixin, CachedViewRestrictionsMixin, Page):
    """A news article: written by a reporter, reviewed and approved by its responsible editor (责任编辑)."""

    subtitle = models.CharField("副标题", max_length=255, blank=True)
    date = models.DateTimeField(
        "发布时间",
        null=True,
        blank=True,
        db_index=True,
        help_text="留空时使用首次发布的时间。",
    )
    source_name = models.CharField(
        "来源", max_length=100, blank=True, help_text="转载时填写原发媒体,如“人民日报”;原创稿件留空。"
    )
    source_url = models.URLField("来源网址", blank=True)
    original_title = models.CharField("原标题", max_length=255, blank=True, help_text="转载稿件的原标题")
    original_author = models.CharField("原作者", max_length=100, blank=True, help_text="转载稿件的原作者")
    byline = models.CharField("记者", max_length=100, blank=True, help_text="本站记者署名")
    responsible_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任编辑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_articles",
    )
    editor_name = models.CharField(
        "责任编辑(姓名)", max_length=100, blank=True, help_text="导入的旧稿件中无法对应到用户的责任编辑姓名。"
    )
    summary = models.TextField("摘要", blank=True, help_text="留空时取正文开头。")
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField("封面图替代文字", max_length=255, blank=True, help_text="留空时使用图片自身的描述。")
    tags = ClusterTaggableManager("标签", through=ArticlePageTag, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name="正文", blank=True)
    # The parent channel, kept in step with the tree (set_url_path, moves) so that a channel's list is one
    # walk of the (channel, date, pk) index instead of a sort of every article under a path.
    channel = models.ForeignKey(
        ChannelIndexPage,
        verbose_name="栏目",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    legacy_id = models.CharField(
        "旧系统编号", max_length=64, blank=True, db_index=True, help_text="从旧系统导入的稿件编号,重新导入时据此更新。"
    )

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("source_name"), FieldPanel("source_url")]),
                FieldRowPanel([FieldPanel("original_title"), FieldPanel("original_author"), FieldPanel("byline")]),
                FieldPanel("date"),
            ],
            heading="来源与署名",
        ),
        FieldPanel("responsible_editor"),
        # Only chief editors and administrators get this field in their form (ArticlePageForm).
        FieldPanel("editor_name"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading="封面"),
        FieldPanel("body"),
        WordCountPanel(),
        FieldPanel("tags"),
        InlinePanel(
            "related_links", label="相关新闻", help_text="按顺序显示;不足10条时自动补充同栏目、同标签的文章。"
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("source_name"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
        index.FilterField("channel"),
    ]
    settings_panels = Page.settings_panels + [
        FieldPanel("legacy_id", read_only=True),
        ImportedValuePanel("editor_name"),
    ]

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    parent_page_types = ["articles.ChannelIndexPage"]
    subpage_types = []
    # A copy is a new article: the original's 更正说明 describe the original's published text, not the copy's.
    exclude_fields_in_copy = ["corrections"]
    # Extension points the newsroom app fills in (newsroom/apps.py), so that this app never imports it: the
    # editor's form with its review fields, who may move, copy or delete an article, and the state word
    # (草稿, 审核中, 已退回 …) that Wagtail's listings show, a function of the page.
    base_form_class = WagtailAdminPageForm
    permission_tester_class = PagePermissionTester
    state_label = None

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_id"], condition=~models.Q(legacy_id=""), name="articles_unique_legacy_id"
            )
        ]
        # Every public list is ordered newest first by ("-date", "-pk") and stops at a LIMIT.
        indexes = [
            models.Index(fields=["-date", "-page_ptr"], name="articles_newest_first"),
            models.Index(fields=["channel", "-date", "-page_ptr"], name="articles_channel_newest"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        # Django's from_db, with Model's constructor alone: a row from the database is a saved page with no
        # child objects passed in, for which Page's and ClusterableModel's constructors only scan every
        # relation and field (a third of the cost of each article that a reader's list reads).
        if len(values) != len(cls._meta.concrete_fields):
            given, names = iter(values), set(field_names)
            values = [next(given) if f.attname in names else DEFERRED for f in cls._meta.concrete_fields]
        instance = cls.__new__(cls)
        models.Model.__init__(instance, *values)
        instance._state.adding = False
        instance._state.db = db
        return instance

    def set_url_path(self, parent):
        # Wagtail calls this whenever the article gets its place under a parent (creation, a new slug,
        # a preview); moves are followed in services.follow_move.
        if parent is not None:
            self.channel_id = parent.pk
        return super().set_url_path(parent)

    def with_content_json(self, content):
        # A revision written before a move must not put the article back into its old channel's lists.
        obj = super().with_content_json(content)
        obj.channel_id = self.channel_id
        return obj

    def clean(self):
        super().clean()
        # The display date defaults to the first publication; Wagtail sets
        # first_published_at before saving a publication, so this fills it then.
        if self.date is None and self.first_published_at is not None:
            self.date = self.first_published_at

    @property
    def status_string(self):
        label = type(self).state_label
        return super().status_string if label is None else label(self)

    def permissions_for_user(self, user):
        # Wagtail's menus and views ask this before offering or doing a move, copy or delete.
        return self.permission_tester_class(user, self)

    @property
    def display_date(self):
        return self.date or self.first_published_at or self.latest_revision_created_at or timezone.now()

    @cached_property
    def summary_text(self):
        """The editor's summary, or the opening text of the body when there is none."""
        if self.summary.strip():
            return self.summary.strip()
        return summary_from_body(self.body.raw_data)

    @property
    def responsible_editor_name(self):
        """The 责任编辑 line: the editor's name (family name first), else a name kept from an imported archive."""
        if self.responsible_editor is not None:
            return person_name(self.responsible_editor)
        return self.editor_name

    @property
    def cover_alt_text(self):
        if self.cover_alt:
            return self.cover_alt
        return self.cover_image.default_alt_text if self.cover_image else ""

    @cached_property
    def chosen_related_ids(self):
        """Ids of the editor-chosen related articles, in order, read once (related news and its cache keys)."""
        return list(dict.fromkeys(link.related_page_id for link in self.related_links.all()))

    @cached_property
    def tag_list(self):
        """The tags, read once for the four places that show them (tags line, OpenGraph, JSON-LD, related)."""
        return list(self.tags.all())

    def get_context(self, request, *args, **kwargs):
        from wagtail.models import Site

        from .services import channel_of, promoted_articles, promoted_keys, related_and_neighbours, surroundings_keys

        context = super().get_context(request, *args, **kwargs)
        context["channel"] = channel_of(self)
        cache_keys.add(request, f"page-{self.pk}")
        # Read only when the template renders them: a cached fragment of the article skips the queries, and
        # records their keys.
        surroundings = cache_keys.lazy(
            request, lambda: related_and_neighbours(self), lambda found: surroundings_keys(self, *found)
        )
        context["related"] = lambda: surroundings()[0]
        context["previous_article"] = lambda: surroundings()[1]
        context["next_article"] = lambda: surroundings()[2]

        @functools.cache
        def home():
            site = Site.find_for_request(request) or self.get_site()
            return site.root_page.specific if site else None

        context["promoted"] = cache_keys.lazy(
            request,
            lambda: promoted_articles(home(), preview=getattr(request, "is_preview", False)),
            lambda items: promoted_keys(home(), items),
        )

        @functools.cache
        def prefetch_renditions():
            # Called by the first tag that needs a rendition the cache lacks: every image of the page at once.
            wanted = {}
            if self.cover_image is not None:
                wanted[self.cover_image] = [renditions.ARTICLE_IMAGE, renditions.SHARE_IMAGE]
            for block in self.body:
                if block.block_type == "image" and block.value.get("image") is not None:
                    wanted.setdefault(block.value["image"], []).append(renditions.ARTICLE_IMAGE)
            for item in context["promoted"]():
                if item.cover_image is not None:
                    wanted.setdefault(item.cover_image, []).append(renditions.PROMOTED)
            renditions.prefetch_renditions(wanted)
            return ""

        context["prefetch_renditions"] = prefetch_renditions
        return context

    def cache_state(self):
        """Where this article is listed now (pagecache: read before a change)."""
        from .services import cache_state

        return cache_state(self.pk)

    def changed_cache_keys(self, before=None, deleted=False, parent=None):
        """The cache keys a change to this article makes stale (pagecache)."""
        from .services import changed_keys

        return changed_keys(self, before, deleted=deleted)


class ArticleRelatedPage(Orderable):
    """An editor-chosen related article, shown first under 相关新闻."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    related_page = models.ForeignKey(ArticlePage, verbose_name="相关文章", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("related_page")]

    class Meta(Orderable.Meta):
        verbose_name = "相关新闻"
        verbose_name_plural = "相关新闻"


class ArticleCorrection(models.Model):
    """A 更正说明 on a live article: what was wrong and what is right, shown dated above the text.

    A child of the article, so a note travels in the revision that carries the corrected text and reaches
    readers only when that revision is approved; ``published_at`` is set when it goes live
    (newsroom/corrections.py), and ``key`` follows the note from revision to revision.
    """

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    key = models.UUIDField("编号", default=uuid.uuid4, editable=False)
    note = models.TextField("更正说明", help_text="写明原文哪里有误、正确的是什么。")
    published_at = models.DateTimeField("更正时间", null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = "更正说明"
        verbose_name_plural = "更正说明"
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.note[:40]


class ArticleWithdrawal(models.Model):
    """A 撤稿 by a chief editor: the article is unpublished and its address answers 410 with this notice.

    Kept after a reviewed restoration (``restored_at``), as the record of why and when it was withdrawn.
    """

    page = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="withdrawals")
    reason = models.TextField("撤稿理由")
    reason_public = models.BooleanField("公开理由", default=False)
    withdrawn_at = models.DateTimeField("撤稿时间", default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤稿人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    restored_at = models.DateTimeField("恢复时间", null=True, blank=True)

    class Meta:
        verbose_name = "撤稿记录"
        verbose_name_plural = "撤稿记录"
        ordering = ["-withdrawn_at", "-pk"]

    def __str__(self):
        return f"{self.page_id}: {self.reason[:40]}"


# 置顶 lives in its own module; imported here so that Django registers the model with this app.
from .pins import ArticlePin  # noqa: E402, F401
