"""The reader's side of 更正 and 撤稿.

更正: the dated 更正说明 of live articles, listed newest first at ``/corrections/`` with their own feed, and
carried by the article feeds. (撤稿: the channel answers a withdrawn article's address with 410 and a short
notice, ``ChannelIndexPage.route``.)
"""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html, format_html_join

from pagecache import keys as cache_keys

from .models import ArticleCorrection, ArticlePage

CORRECTIONS_PER_PAGE = 20
FEED_LENGTH = 20


def correction_date(correction):
    return timezone.localtime(correction.published_at).strftime("%Y年%-m月%-d日") if correction.published_at else ""


def published_corrections():
    """Notes of live, public articles that have gone live, newest first."""
    articles = ArticlePage.objects.live_public().values("pk")
    return (
        ArticleCorrection.objects.filter(published_at__isnull=False, page__in=articles)
        .select_related("page")
        .defer("page__body")  # the list shows each article's title and link
        .order_by("-published_at", "-pk")
    )


def notes_text(article):
    """The article's 更正说明 as one plain line each, newest first (feed descriptions)."""
    return " ".join(f"【更正 {correction_date(item)}】{item.note}" for item in corrections_of(article))


def notes_html(article):
    """The article's 更正说明 as HTML paragraphs, newest first (the feeds' full text)."""
    return format_html_join(
        "",
        '<p class="correction"><strong>更正({})</strong>:{}</p>',
        ((correction_date(item), item.note) for item in corrections_of(article)),
    )


def corrections_list(request):
    """``/corrections/``: every corrected article with its note, newest correction first."""
    # Any article's publish may add, move or remove an entry.
    cache_keys.add(request, "all")
    page_obj = Paginator(published_corrections(), CORRECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "articles/corrections.html", {"page_obj": page_obj})


class CorrectionsFeed(Feed):
    """RSS of the latest 更正说明: one item per note, linking the corrected article."""

    language = "zh-cn"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=60)
        return response

    def get_object(self, request, *args, **kwargs):
        from .feeds import site_settings

        self.request = request
        self.site_name = site_settings(request).site_name
        cache_keys.add(request, "all")
        return None

    def title(self):
        return f"{self.site_name} - 更正"

    def link(self):
        return reverse("corrections")

    def description(self):
        return f"{self.site_name}已发布文章的更正说明"

    def items(self):
        return published_corrections()[:FEED_LENGTH]

    def item_title(self, item):
        return f"更正:{item.page.title}"

    def item_description(self, item):
        return format_html("<p>{}</p>", item.note)

    def item_link(self, item):
        return f"{item.page.get_url(request=self.request)}#correction-{item.key}"

    def item_guid(self, item):
        return f"correction-{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)


def corrections_of(article):
    """The article's 更正说明, newest first, read once per page object (the box and JSON-LD both show them)."""
    if "_corrections" not in article.__dict__:
        in_memory = "corrections" in getattr(article, "_cluster_related_objects", {})  # a preview, a prefetch
        prefetched = "corrections" in getattr(article, "_prefetched_objects_cache", {})
        # Read with the article at its address (articles.rows), else known per process.
        corrected = getattr(article, "has_published_corrections", None)
        if corrected is None:
            corrected = article.pk in corrected_article_ids()
        if in_memory or prefetched or corrected:
            article.__dict__["_corrections"] = list(article.corrections.all())
        else:
            article.__dict__["_corrections"] = []
    return article.__dict__["_corrections"]


def corrected_article_ids():
    """Ids of the articles with a published 更正说明, kept per process until any article changes (``all``):
    the great majority of article pages then read no corrections at all."""
    from pagecache.generation import per_generation

    def compute():
        return frozenset(
            ArticleCorrection.objects.exclude(published_at=None).values_list("page_id", flat=True).distinct()
        )

    return per_generation("corrected-articles", compute, keys=["all"])
