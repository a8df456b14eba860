"""What readers see around an article: related news, neighbours, promoted items, home page lists.

Every list here costs a fixed number of queries, whatever the number of articles, channels, tags or
related items (tests/performance/test_query_budgets.py): lists are fetched with ``pk__in`` subqueries
that each stop at a LIMIT on an index ("-date", "-pk"), and channels come from a per-generation cache.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from config.cache import is_restricted, per_generation, restricted_paths

from .models import ArticlePage, ArticlePageTag, ArticleRelatedPage, ChannelIndexPage

RELATED_LIMIT = 10


def public_articles():
    """Live articles outside every view-restricted subtree (Wagtail's ``.public()`` without its query)."""
    articles = ArticlePage.objects.live()
    for path in restricted_paths():
        articles = articles.exclude(path__startswith=path)
    return articles


def children_of(queryset, parent):
    """``queryset.child_of(parent)`` as a range on the tree path, which SQLite and PostgreSQL both answer
    from the path index (Wagtail's ``path LIKE 'x%'`` scans every page on SQLite)."""
    step = ArticlePage.steplen
    return queryset.filter(path__range=(parent.path + "0" * step, parent.path + "Z" * step), depth=parent.depth + 1)


def descendants_of(queryset, ancestor):
    """``queryset.descendant_of(ancestor)`` as a range on the tree path (see :func:`children_of`)."""
    return queryset.filter(path__gt=ancestor.path, path__lte=(ancestor.path + "Z" * 255)[:255])


def _channel_rows():
    return list(ChannelIndexPage.objects.order_by("path"))


def all_channels():
    """Every channel by tree path, from the per-generation cache (read-only instances)."""
    return per_generation("channels", lambda: {channel.path: channel for channel in _channel_rows()})


def channels_under(home):
    """Channels that are children of ``home``, in menu (tree) order."""
    depth = home.depth + 1
    return [
        channel for path, channel in all_channels().items() if channel.depth == depth and path.startswith(home.path)
    ]


def public_channels(home):
    """Live channels under ``home`` that anonymous readers may see, in menu (tree) order."""
    return [channel for channel in channels_under(home) if channel.live and not is_restricted(channel)]


def channel_by_slug(home, slug):
    return next((channel for channel in channels_under(home) if channel.slug == slug), None)


def channel_of(article):
    """The article's channel without a query when its parent is cached or the channel list is."""
    parent = getattr(article, "_cached_parent_obj", None)
    if parent is not None:
        return parent.specific
    channel = all_channels().get(article.path[: -ArticlePage.steplen])
    if channel is not None:
        return channel
    parent = article.get_parent()
    return parent.specific if parent is not None else None


def with_channels(articles):
    """Attach each article's channel as ``article.channel`` (no query), for lists that label items 【科普】."""
    articles = list(articles)
    channels = all_channels()
    missing = {page.path[: -ArticlePage.steplen] for page in articles} - channels.keys()
    if missing:
        channels = {**channels, **{c.path: c for c in ChannelIndexPage.objects.filter(path__in=missing)}}
    for page in articles:
        page.channel = channels.get(page.path[: -ArticlePage.steplen])
    return articles


def _ids(queryset):
    return queryset.values("pk")


def related_and_neighbours(article, limit=RELATED_LIMIT):
    """``(related, previous, next)`` for an article page in one query after its links and tags are read.

    相关新闻: editor-chosen related articles first, in their order, then articles sharing the most tags,
    then the channel's latest. 上一篇/下一篇: the older and newer live article in the same channel by
    date then id. Only live, public articles are ever shown, so a draft chosen as related stays hidden
    until it is published. Links and tags are read through ``.all()`` so that a preview's unsaved
    article uses the ones in memory.
    """
    chosen_ids = list(dict.fromkeys(link.related_page_id for link in article.related_links.all()))
    tag_ids = [tag.pk for tag in article.tags.all() if tag.pk is not None]
    parent = channel_of(article)
    public = public_articles()
    if article.pk is not None:
        public = public.exclude(pk=article.pk)
    wanted = Q(pk__in=chosen_ids)
    if tag_ids:
        tag_fill = (
            public.filter(tagged_items__tag_id__in=tag_ids)
            .exclude(pk__in=chosen_ids)
            .annotate(shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
            .order_by("-shared_tags", "-date", "-pk")
        )
        wanted |= Q(pk__in=_ids(tag_fill[:limit]))
    siblings = children_of(public, parent) if parent is not None else public.none()
    wanted |= Q(pk__in=_ids(siblings.exclude(pk__in=chosen_ids).order_by("-date", "-pk")[: 2 * limit]))
    if parent is not None and article.date is not None and article.pk is not None:
        older = siblings.filter(Q(date__lt=article.date) | Q(date=article.date, pk__lt=article.pk))
        newer = siblings.filter(Q(date__gt=article.date) | Q(date=article.date, pk__gt=article.pk))
        wanted |= Q(pk__in=_ids(older.order_by("-date", "-pk")[:1])) | Q(pk__in=_ids(newer.order_by("date", "pk")[:1]))

    shared = Value(0, output_field=IntegerField())
    if tag_ids:
        shared = Coalesce(
            Subquery(
                ArticlePageTag.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)
                .values("content_object")
                .annotate(count=Count("pk"))
                .values("count")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )
    rows = list(public.filter(wanted).annotate(shared=shared))  # the body gives summary_text

    by_id = {row.pk: row for row in rows}
    related = [by_id[pk] for pk in chosen_ids if pk in by_id][:limit]
    taken = {row.pk for row in related} | set(chosen_ids)
    in_channel = [row for row in rows if parent is not None and _is_child(row, parent)]
    sharing = [row for row in _newest_first(rows, by_shared_tags=True) if row.shared]
    for row in sharing + _newest_first(in_channel):
        if len(related) >= limit:
            break
        if row.pk not in taken:
            related.append(row)
            taken.add(row.pk)

    previous = next_ = None
    if parent is not None and article.date is not None and article.pk is not None:
        key = (article.date, article.pk)
        older = [row for row in in_channel if row.date is not None and (row.date, row.pk) < key]
        newer = [row for row in in_channel if row.date is not None and (row.date, row.pk) > key]
        previous = max(older, key=lambda row: (row.date, row.pk), default=None)
        next_ = min(newer, key=lambda row: (row.date, row.pk), default=None)
    return with_channels(related), previous, next_


def _is_child(row, parent):
    return row.depth == parent.depth + 1 and row.path.startswith(parent.path)


def _newest_first(rows, by_shared_tags=False):
    def key(row):
        return (row.shared if by_shared_tags else 0, row.date is not None, row.date, row.pk)

    return sorted(rows, key=key, reverse=True)


def _promoted(home, limit):
    # A preview's unsaved home page holds its items in memory; a saved one reads them in one query.
    chosen = [item.article_id for item in home.promoted_items.all()]
    articles = public_articles().defer_streamfields().select_related("cover_image")
    if chosen:
        by_id = articles.filter(pk__in=chosen).in_bulk()
        return with_channels([by_id[pk] for pk in chosen if pk in by_id][:limit])
    latest_with_cover = Q()
    for channel in channels_under(home):
        if not channel.live:
            continue
        newest = children_of(public_articles(), channel).filter(cover_image__isnull=False).order_by("-date", "-pk")[:1]
        latest_with_cover |= Q(pk__in=_ids(newest))
    if not latest_with_cover:
        return []
    by_path = {article.path[: -ArticlePage.steplen]: article for article in articles.filter(latest_with_cover)}
    items = [by_path[channel.path] for channel in channels_under(home) if channel.path in by_path]
    return with_channels(items[:limit])


def promoted_articles(home, limit=4, preview=False):
    """Promoted items (推荐位): the editors' choice on the home page, else each channel's latest with a cover.

    The same for every page of a site, so kept per content generation (read-only instances); a preview of
    the home page (``preview=True``) reads its unsaved items instead.
    """
    if home is None:
        return []
    if preview or home.pk is None:
        return _promoted(home, limit)
    return per_generation(f"promoted:{home.pk}:{limit}", lambda: _promoted(home, limit))


def home_lead_story(home):
    lead_id = home.lead_story_id
    if lead_id is not None:
        lead = public_articles().filter(pk=lead_id).select_related("cover_image").first()
        if lead is not None:
            return lead
    return descendants_of(public_articles(), home).select_related("cover_image").order_by("-date", "-pk").first()


def channel_latest(home, exclude=None, per_channel=6):
    """Each live, public channel in menu order with its latest articles, for the home page (one query)."""
    channels = [
        channel
        for channel in channels_under(home)
        if channel.live and not any(channel.path.startswith(path) for path in restricted_paths())
    ]
    if not channels:
        return []
    wanted = Q()
    for channel in channels:
        articles = children_of(public_articles(), channel)
        if exclude is not None:
            articles = articles.exclude(pk=exclude.pk)
        wanted |= Q(pk__in=_ids(articles.order_by("-date", "-pk")[:per_channel]))
    by_channel = {channel.path: [] for channel in channels}
    for article in public_articles().filter(wanted).defer_streamfields().order_by("-date", "-pk"):
        by_channel[article.path[: -ArticlePage.steplen]].append(article)
    return [(channel, by_channel[channel.path]) for channel in channels]


__all__ = [
    "ArticleRelatedPage",
    "RELATED_LIMIT",
    "all_channels",
    "channel_latest",
    "channel_of",
    "channels_under",
    "home_lead_story",
    "promoted_articles",
    "public_channels",
    "public_articles",
    "related_and_neighbours",
    "with_channels",
]
