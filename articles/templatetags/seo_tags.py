"""What a page tells search engines, feed readers and social sites: feeds, OpenGraph, JSON-LD."""

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from articles.corrections import corrections_of
from articles.models import ArticlePage, ChannelIndexPage
from articles.renditions import SHARE_IMAGE
from articles.services import channel_of
from pagecache import keys as cache_keys

register = template.Library()

# Characters that could end or confuse a <script> element, written as JSON escapes instead.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _absolute(request, url):
    return request.build_absolute_uri(url) if request is not None and url else url


def _channel_of(page):
    if isinstance(page, ChannelIndexPage):
        return page
    if isinstance(page, ArticlePage):
        return channel_of(page)  # from the channel cache, not a query for the parent
    return None


@register.simple_tag(takes_context=True)
def channel_feed(context):
    """The channel whose feed this page should advertise (the channel itself, or an article's channel)."""
    channel = context.get("channel")
    if not isinstance(channel, ChannelIndexPage):
        channel = _channel_of(context.get("page"))
    if channel is not None:  # its title shows in the <head>, kept as a fragment
        cache_keys.add(context.get("request"), f"page-{channel.pk}")
    return channel


def _cover_url(context, article):
    if not getattr(article, "cover_image", None):
        return ""
    request = context.get("request")
    # OpenGraph and JSON-LD both show it: made once per request.
    known = request.__dict__.setdefault("_share_image_urls", {}) if request is not None else {}
    if article.pk not in known:
        prefetch = context.get("prefetch_renditions")
        if prefetch is not None:
            prefetch()  # every rendition the page shows, at once (once per request)
        known[article.pk] = _absolute(request, article.cover_image.get_rendition(SHARE_IMAGE).url)
    return known[article.pk]


@register.simple_tag(takes_context=True)
def opengraph(context):
    """OpenGraph tags for the current page: an article, or the site's other pages as a website."""
    request = context.get("request")
    page = context.get("page")
    if page is None or request is None:
        return ""
    site_name = getattr(context.get("settings"), "home", None)
    site_name = site_name.SiteSettings.site_name if site_name else ""
    tags = [
        ("og:site_name", site_name),
        ("og:title", page.seo_title or page.title),
        ("og:url", page.get_full_url(request)),
        ("og:locale", "zh_CN"),
    ]
    if isinstance(page, ArticlePage):
        tags += [
            ("og:type", "article"),
            ("og:description", page.search_description or page.summary_text[:200]),
            ("og:image", _cover_url(context, page)),
            ("article:published_time", localtime(page.display_date).isoformat()),
        ]
        tags += [("article:tag", tag.name) for tag in page.tag_list]
    else:
        tags += [("og:type", "website"), ("og:description", page.search_description)]
    return format_html_join(
        "\n    ", '<meta property="{}" content="{}">', ((name, value) for name, value in tags if value)
    )


@register.simple_tag(takes_context=True)
def news_article_jsonld(context, article):
    """A schema.org NewsArticle block for an article page."""
    request = context.get("request")
    settings = getattr(context.get("settings"), "home", None)
    site_name = settings.SiteSettings.site_name if settings else ""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.search_description or article.summary_text[:200],
        "datePublished": localtime(article.display_date).isoformat(),
        "dateModified": localtime(article.last_published_at or article.display_date).isoformat(),
        "mainEntityOfPage": article.get_full_url(request),
        "inLanguage": "zh-CN",
        "publisher": {"@type": "Organization", "name": site_name},
        "keywords": [tag.name for tag in article.tag_list],
    }
    author = article.byline or article.original_author or article.source_name
    if author:
        data["author"] = {"@type": "Person" if article.byline else "Organization", "name": author}
    channel = _channel_of(article)
    if channel is not None:
        data["articleSection"] = channel.title
    cover = _cover_url(context, article)
    if cover:
        data["image"] = [cover]
    corrections = [item for item in corrections_of(article) if item.published_at is not None]
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": item.note,
                "datePublished": localtime(item.published_at).isoformat(),
            }
            for item in corrections
        ]
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
