"""What readers see around an article: related news, neighbours, promoted items, home page lists."""

from django.db.models import Count, Q

from .models import ArticlePage, ChannelIndexPage

RELATED_LIMIT = 10


def public_articles():
    return ArticlePage.objects.live().public()


def with_channels(articles):
    """Attach each article's channel as ``article.channel`` with one query, for lists that label items 【科普】."""
    articles = list(articles)
    parent_paths = {page.path[: -ArticlePage.steplen] for page in articles}
    channels = {channel.path: channel for channel in ChannelIndexPage.objects.filter(path__in=parent_paths)}
    for page in articles:
        page.channel = channels.get(page.path[: -ArticlePage.steplen])
    return articles


def related_articles(article, limit=RELATED_LIMIT):
    """Editor-chosen related articles first, in their order, then articles sharing tags, then the channel's latest.

    Only live, public articles are ever shown, so a draft chosen as related stays hidden until it is published.
    """
    chosen_ids = [link.related_page_id for link in article.related_links.all()]
    chosen_by_id = public_articles().filter(pk__in=chosen_ids).exclude(pk=article.pk).in_bulk()
    related = [chosen_by_id[pk] for pk in dict.fromkeys(chosen_ids) if pk in chosen_by_id][:limit]

    def fill(queryset):
        if len(related) >= limit:
            return
        taken = [page.pk for page in related] + [article.pk]
        related.extend(queryset.exclude(pk__in=taken)[: limit - len(related)])

    # Read tags through .all(): a preview's unsaved article holds them in memory, where values_list("pk") fails.
    tag_ids = [tag.pk for tag in article.tags.all() if tag.pk is not None]
    if tag_ids:
        fill(
            public_articles()
            .filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
            .order_by("-shared_tags", "-date", "-pk")
        )
    parent = article.get_parent()
    if parent is not None:
        fill(public_articles().child_of(parent).order_by("-date", "-pk"))
    return with_channels(related)


def neighbours(article):
    """The previous (older) and next (newer) live article in the same channel, by date then id."""
    parent = article.get_parent()
    if parent is None or article.date is None:
        return None, None
    siblings = public_articles().child_of(parent).exclude(pk=article.pk)
    older = siblings.filter(Q(date__lt=article.date) | Q(date=article.date, pk__lt=article.pk))
    newer = siblings.filter(Q(date__gt=article.date) | Q(date=article.date, pk__gt=article.pk))
    return older.order_by("-date", "-pk").first(), newer.order_by("date", "pk").first()


def promoted_articles(home, limit=4):
    """Promoted items (推荐位): the editors' choice on the home page, else each channel's latest with a cover."""
    if home is None:
        return []
    chosen = [item.article_id for item in home.promoted_items.all()]
    if chosen:
        by_id = public_articles().filter(pk__in=chosen).select_related("cover_image").in_bulk()
        return with_channels([by_id[pk] for pk in chosen if pk in by_id][:limit])
    items = []
    for channel in ChannelIndexPage.objects.child_of(home).live():
        article = (
            public_articles()
            .child_of(channel)
            .filter(cover_image__isnull=False)
            .select_related("cover_image")
            .order_by("-date", "-pk")
            .first()
        )
        if article:
            items.append(article)
    return with_channels(items[:limit])


def home_lead_story(home):
    lead = home.lead_story
    if lead is not None and lead.live and public_articles().filter(pk=lead.pk).exists():
        return lead
    return public_articles().descendant_of(home).order_by("-date", "-pk").first()


def channel_latest(home, exclude=None, per_channel=6):
    """Each live channel in menu order with its latest articles, for the home page."""
    blocks = []
    for channel in ChannelIndexPage.objects.child_of(home).live().public():
        articles = public_articles().child_of(channel).order_by("-date", "-pk")
        if exclude is not None:
            articles = articles.exclude(pk=exclude.pk)
        blocks.append((channel, list(articles[:per_channel])))
    return blocks
