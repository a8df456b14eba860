from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from articles.models import ArticlePage

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 100


def clean_query(raw):
    """The reader's query with control characters dropped and its length capped."""
    text = "".join(char if char.isprintable() else " " for char in raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = ArticlePage.objects.none()
    if query:
        results = ArticlePage.objects.live().public().search(query)
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"search_query": query, "page_obj": page_obj})
