"""The public search page: live, public articles matching the reader's words, by relevance or date."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Site

from articles.models import ArticlePage
from articles.services import all_channels, public_channels, with_channels

from .chinese import query_terms
from .highlight import highlight_terms, mark, snippet

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100
SORTS = {"relevance": "相关度", "date": "发布时间"}


def clean_query(raw):
    """The reader's query with control characters dropped and its length capped."""
    text = "".join(char if char.isprintable() else " " for char in raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "relevance"
    site = Site.find_for_request(request)
    channels = public_channels(site.root_page) if site is not None else []
    channel = next((item for item in channels if item.slug == request.GET.get("channel")), None)

    # Articles of the chosen channel, or of the site's public ones, written as "in none of the others":
    # usually no condition at all, and never one the databases would walk a whole channel's index for.
    wanted = [channel] if channel is not None else channels
    others = [other for other in all_channels().values() if other not in wanted]
    articles = ArticlePage.objects.live_public().exclude(channel__in=others)

    results = ArticlePage.objects.none()
    searchable = bool(query_terms(query))
    if searchable and sort == "date":
        results = articles.order_by("-date", "-id").search(query, order_by_relevance=False)
    elif searchable:
        results = articles.search(query)
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))

    # The newest matches only, when a word is in more articles than a reader could page through.
    truncated = getattr(getattr(results, "query_compiler", None), "truncated", False)
    terms = highlight_terms(query)
    items = with_channels(page_obj.object_list)
    for item in items:
        item.title_html = mark(item.title, terms)
        item.snippet_html = snippet(item.summary_text, terms)

    kept = {"q": query, "channel": channel.slug if channel else "", "sort": sort if sort != "relevance" else ""}
    context = {
        "search_query": query,
        "searchable": searchable,
        "page_obj": page_obj,
        "truncated": truncated,
        "results": items,
        "channels": channels,
        "channel": channel,
        "sort": sort,
        "sorts": SORTS,
        "extra_query": urlencode({key: value for key, value in kept.items() if value}),
    }
    return TemplateResponse(request, "search/search.html", context)
