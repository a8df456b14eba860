"""What readers see around an article: related news, neighbours, promoted items, home page lists.

Every list here costs a fixed number of queries, whatever the number of articles, channels, tags or
related items (tests/performance/test_query_budgets.py): lists are fetched with ``pk__in`` subqueries
that each stop at a LIMIT on an index ("-date", "-pk"), and channels come from a per-process cache.

Each list also says which cache keys it shows (``*_keys`` here, pagecache.keys), and :func:`changed_keys`
says which of them a change to an article makes stale.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property
from wagtail.models import Page

from pagecache.generation import is_restricted, per_generation, restricted_paths
from pagecache.keys import page_keys

from .models import ArticlePage, ArticlePageTag, ArticleRelatedPage, ChannelIndexPage, summary_from_body
from .pins import active_pins
from .rows import column, live_public_rows

RELATED_LIMIT = 10
# What a list item of 相关新闻 or 上一篇/下一篇 shows: title, link, date, outlet, summary, channel.
LISTED_FIELDS = (
    "title",
    "url_path",
    "path",
    "depth",
    "live",
    "date",
    "first_published_at",
    "latest_revision_created_at",
    "source_name",
    "summary",
    "channel",
)
# What the home page's lead story shows besides: its cover, the article meta line and the summary (whose
# fallback is the body's opening).
LEAD_FIELDS = (*LISTED_FIELDS, "source_url", "original_author", "byline", "cover_image", "cover_alt", "body")
# Related news weighs only each tag's most recently tagged articles (see _tag_neighbours).
TAG_CANDIDATES = 50
PROMOTED_LIMIT = 4
# What decides where an article appears in other articles' 相关新闻 and 上一篇/下一篇 (see changed_keys); a
# first publication counts too (a page made by code is saved live before its first publish).
PLACE = ("channel", "date", "live", "first_published_at")


def children_of(queryset, parent):
    """``queryset.child_of(parent)`` as a range on the tree path, which SQLite and PostgreSQL both answer
    from the path index (Wagtail's ``path LIKE 'x%'`` scans every page on SQLite)."""
    step = ArticlePage.steplen
    return queryset.filter(path__range=(parent.path + "0" * step, parent.path + "Z" * step), depth=parent.depth + 1)


def _channel_rows():
    return list(ChannelIndexPage.objects.order_by("path"))


def all_channels():
    """Every channel by tree path, kept per process until a channel changes (``nav``; read-only instances)."""
    return per_generation("channels", lambda: {channel.path: channel for channel in _channel_rows()}, keys=["nav"])


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
    """Set each article's ``channel`` from the channel cache (no query), for lists that label items 【科普】."""
    articles = list(articles)
    by_pk = {channel.pk: channel for channel in all_channels().values()}
    missing = {page.channel_id for page in articles} - by_pk.keys() - {None}
    if missing:
        by_pk |= ChannelIndexPage.objects.in_bulk(missing)
    for page in articles:
        if page.channel_id in by_pk:
            page.channel = by_pk[page.channel_id]
    return articles


def any_of(*parts):
    """``pk IN (…)`` for the union of the ids of several (LIMITed) querysets or ``(sql, params)`` parts, as one
    subquery (see :func:`union_of`)."""
    union = union_of(*parts)
    if union is None:
        return Q(pk__in=[])
    return Q(pk__in=RawSQL(*union))


def union_of(*parts):
    """``(sql, params)`` for the ids of several (LIMITed) querysets or ``(sql, params)`` parts, as one ``UNION
    ALL``; None when no part can match anything.

    SQLite and PostgreSQL then walk an index for each part; PostgreSQL cannot use an index for
    ``pk IN (a) OR pk IN (b)`` and reads the whole table instead. Each part is wrapped in a derived
    table because SQLite allows no ORDER BY or LIMIT in the arms of a UNION.
    """
    sqls, params = [], []
    for number, part in enumerate(parts):
        if isinstance(part, tuple):
            sql, part_params = part
        else:
            try:
                sql, part_params = part.values("pk").query.sql_with_params()
            except EmptyResultSet:  # e.g. pk__in=[]: a part that can match nothing
                continue
        sqls.append(f"SELECT * FROM ({sql}) AS part{number}")
        params.extend(part_params)
    if not sqls:
        return None
    return " UNION ALL ".join(sqls), params


def ids_part(ids):
    """``(sql, params)`` for the articles among ``ids`` (a part for :func:`union_of`), or None for none."""
    if not ids:
        return None
    pk = column(ArticlePage, "page_ptr", "a")
    marks = ", ".join(["%s"] * len(ids))
    table = connection.ops.quote_name(ArticlePage._meta.db_table)
    return f"SELECT {pk} FROM {table} a WHERE {pk} IN ({marks})", list(ids)


def channel_walk(channel, limit, *, older_than=None, newer_than=None, exclude=None, with_cover=False):
    """``(sql, params)`` for the ids of up to ``limit`` of the channel's live, public articles, newest first,
    or those just before ``older_than`` / just after ``newer_than`` (a ``(date, pk)``), for :func:`any_of`.

    One walk of the (channel, date, pk) index, as ``live_public().in_channel(channel)`` would make. Written as
    SQL because reader pages run several of these per render and the ORM spends about half a millisecond
    building and compiling each.
    """
    quote = connection.ops.quote_name
    pk, date = column(ArticlePage, "page_ptr", "a"), column(ArticlePage, "date", "a")
    live, path = column(Page, "live", "p"), column(Page, "path", "p")
    where = [f"{column(ArticlePage, 'channel', 'a')} = %s", live]
    params = [channel.pk]
    for restricted in restricted_paths():
        where.append(f"{path} NOT LIKE %s")
        params.append(f"{restricted}%")
    if exclude is not None:
        where.append(f"{pk} <> %s")
        params.append(exclude)
    if with_cover:
        where.append(f"{column(ArticlePage, 'cover_image', 'a')} IS NOT NULL")
    for bound, compare in ((older_than, "<"), (newer_than, ">")):
        if bound is not None:
            value = ArticlePage._meta.get_field("date").get_db_prep_value(bound[0], connection)
            where.append(f"({date} {compare} %s OR ({date} = %s AND {pk} {compare} %s))")
            params += [value, value, bound[1]]
    order = "ASC" if newer_than is not None else "DESC"
    sql = (
        f"SELECT {pk} FROM {quote(ArticlePage._meta.db_table)} a "
        f"INNER JOIN {quote(Page._meta.db_table)} p ON {pk} = {column(Page, 'id', 'p')} "
        f"WHERE {' AND '.join(where)} ORDER BY {date} {order}, {pk} {order} LIMIT %s"
    )
    return sql, [*params, limit]


def newest_across(queryset, channels, limit):
    """The newest ``limit`` readable articles in any of ``channels``, read through ``queryset`` (``live_public()``
    with what to fetch along; it chooses no further).

    Each channel's newest come from its own index walk and are merged, so the cost is channels × limit
    rows whatever the size of the archive (one ``ORDER BY date`` over all channels would sort them all).
    """
    if not channels:
        return queryset.none()
    return queryset.filter(any_of(*(channel_walk(channel, limit) for channel in channels))).newest_first()[:limit]


def hidden_in(channel):
    """Ids of the channel's articles readers may not see: drafts, withdrawn ones, those under a view
    restriction. They are few, and kept until the channel's list changes, so a channel's list can walk its
    (channel, date, pk) index alone and leave these out instead of reading each page row to check it."""

    def compute():
        hidden = Q(live=False)
        for path in restricted_paths():
            hidden |= Q(path__startswith=path)
        return list(children_of(Page.objects.filter(hidden), channel).values_list("pk", flat=True))

    return per_generation(f"hidden-in:{channel.pk}", compute, keys=[f"list-{channel.pk}"])


class ChannelPaginator(Paginator):
    """A channel's live, public articles, newest first, by pages of ``per_page``.

    Page 500 skips 10,000 entries of the channel's index without reading their rows, then reads the 20
    it shows; the count is kept until the list changes. Both cost the same in a channel of 500 articles
    and one of 50,000.
    """

    def __init__(self, channel, per_page):
        hidden = hidden_in(channel)
        ids = ArticlePage.objects.in_channel(channel).exclude(pk__in=hidden)
        super().__init__(ids.newest_first().values_list("pk", flat=True), per_page)
        self.channel = channel
        # 置顶: shown first on page 1 only, so that page 2 onwards keep their places in the list.
        self.pinned = [pin.article_id for pin in active_pins() if pin.channel_id == channel.pk]
        self.pinned = [pk for pk in self.pinned if pk not in hidden]

    @cached_property
    def count(self):
        return per_generation(
            f"channel-count:{self.channel.pk}", self.object_list.count, keys=[f"list-{self.channel.pk}"]
        )

    def _get_page(self, ids, number, paginator):
        # Still lazy: a cached fragment of the channel page never runs the query.
        if number != 1 or not self.pinned:
            rows = ArticlePage.objects.filter(pk__in=ids).defer_streamfields().newest_first()
            return super()._get_page(rows, number, paginator)
        # The pinned articles in pin order, then the page without them, read in the same query.
        pinned = ArticlePage.objects.filter(pk__in=self.pinned, channel=self.channel)
        rank = Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(self.pinned)), output_field=IntegerField())
        rows = ArticlePage.objects.filter(any_of(ids, pinned)).defer_streamfields()
        rows = rows.annotate(pin_rank=rank, pinned=Q(pk__in=self.pinned))
        rows = rows.order_by(F("pin_rank").asc(nulls_last=True), "-date", "-pk")
        return super()._get_page(rows, number, paginator)


def follow_move(instance, parent_page_after, **kwargs):
    """``post_page_move`` receiver: an article moved to another channel is listed there from now on."""
    if instance.specific_class is ArticlePage and parent_page_after is not None:
        ArticlePage.objects.filter(pk=instance.pk).update(channel=parent_page_after.pk)


def _tag_neighbours(article, tag_ids, limit):
    """``(sql, params)`` of ``(id, shared)`` rows: up to ``limit`` recent articles sharing the most of ``tag_ids``,
    with how many they share (for :func:`~articles.rows.live_public_rows`' ``scores``).

    Only each tag's most recently tagged TAG_CANDIDATES articles are considered (an index walk per tag), so
    a tag on 50,000 articles costs what a tag on 50 does.
    """
    table = connection.ops.quote_name(ArticlePageTag._meta.db_table)
    article_id, tag = column(ArticlePageTag, "content_object", "t"), column(ArticlePageTag, "tag", "t")
    walk = (
        f"SELECT {article_id} AS id FROM {table} t WHERE {tag} = %s ORDER BY {article_id} DESC LIMIT {TAG_CANDIDATES}"
    )
    tagged = " UNION ALL ".join(f"SELECT * FROM ({walk}) AS tag{number}" for number in range(len(tag_ids)))
    params = list(tag_ids)
    other = ""
    if article.pk is not None:
        other, params = "WHERE tagged.id <> %s ", [*params, article.pk]
    sql = (
        f"SELECT tagged.id, COUNT(*) FROM ({tagged}) AS tagged {other}"
        f"GROUP BY tagged.id ORDER BY COUNT(*) DESC, tagged.id DESC LIMIT %s"
    )
    return sql, [*params, limit]


def related_and_neighbours(article, limit=RELATED_LIMIT):
    """``(related, previous, next)`` for an article page.

    相关新闻: editor-chosen related articles first, in their order, then recent articles sharing the most
    tags, then the channel's articles nearest in date (contemporaneous news: the ``limit`` articles before
    and after it in the channel, newest first), so that a new article enters only the lists of its date
    neighbours, not those of the whole channel. 上一篇/下一篇: the older and newer live article in the same
    channel by date then id. Only live, public articles are ever shown, so a draft chosen as related stays hidden
    until it is published. Links and tags are read through ``.all()`` so that a preview's unsaved
    article uses the ones in memory. Two queries after the links and tags: the articles (with the tag
    candidates ranked in the same statement), and the bodies of those shown without a summary; neither grows
    with the archive.
    """
    chosen_ids = article.chosen_related_ids
    tag_ids = [tag.pk for tag in article.tag_list if tag.pk is not None]
    parent = channel_of(article)
    sharing_tags = _tag_neighbours(article, tag_ids, limit) if tag_ids else None
    wanted = [ids_part(chosen_ids)]
    if sharing_tags is not None:
        wanted.append(("SELECT id FROM scores", []))
    if parent is not None and article.date is not None and article.pk is not None:
        wanted += _date_window(parent, article.date, article.pk, limit)
    elif parent is not None:  # an unsaved preview has no place among its channel's dates yet
        wanted.append(channel_walk(parent, limit, exclude=article.pk))
    union = union_of(*(part for part in wanted if part is not None))
    rows = []
    if union is not None:
        pk = column(ArticlePage, "page_ptr", "a")
        condition, params = f"{pk} IN ({union[0]})", union[1]
        if article.pk is not None:
            condition, params = f"{pk} <> %s AND {condition}", [article.pk, *params]
        rows = live_public_rows(condition, params, LISTED_FIELDS, scores=sharing_tags)

    by_id = {row.pk: row for row in rows}
    related = [by_id[pk] for pk in chosen_ids if pk in by_id][:limit]
    taken = {row.pk for row in related} | set(chosen_ids)
    in_parent = [row for row in rows if parent is not None and row.channel_id == parent.pk]
    # The articles sharing tags, by how many they share (the score), read in the same statement.
    sharing = sorted(
        (row for row in rows if getattr(row, "score", None)),
        key=lambda row: (row.score, row.date is not None, row.date, row.pk),
        reverse=True,
    )
    for row in sharing + _newest_first(in_parent):
        if len(related) >= limit:
            break
        if row.pk not in taken:
            related.append(row)
            taken.add(row.pk)
    _attach_summaries(related)

    previous = next_ = None
    if parent is not None and article.date is not None and article.pk is not None:
        key = (article.date, article.pk)
        older = [row for row in in_parent if row.date is not None and (row.date, row.pk) < key]
        newer = [row for row in in_parent if row.date is not None and (row.date, row.pk) > key]
        previous = max(older, key=lambda row: (row.date, row.pk), default=None)
        next_ = min(newer, key=lambda row: (row.date, row.pk), default=None)
    return with_channels(related), previous, next_


def _date_window(channel, date, pk, limit):
    """The ``limit`` readable articles of ``channel`` just before and just after ``(date, pk)``."""
    return [channel_walk(channel, limit, older_than=(date, pk)), channel_walk(channel, limit, newer_than=(date, pk))]


def surroundings_keys(article, related, previous, next_):
    """The cache keys of an article's 相关新闻 and 上一篇/下一篇: its own ``related-<id>`` (bumped when an
    article enters or leaves its date window), each article shown, each chosen one even while hidden (its
    publication shows it), its tags' and its channel's."""
    chosen = [f"page-{pk}" for pk in article.chosen_related_ids]
    tags = [f"tag-{tag.pk}" for tag in article.tag_list if tag.pk is not None]
    shown = page_keys([*related, previous, next_, channel_of(article)])
    return [f"related-{article.pk}", *chosen, *tags, *shown]


def promoted_keys(home, items):
    """The cache keys of the 推荐位: the home page (its choice), the list itself, each item and its channel."""
    if home is None:
        return []
    channels = {f"page-{item.channel_id}" for item in items if item.channel_id is not None}
    return [f"page-{home.pk}", f"promoted-{home.pk}", *page_keys(items), *channels]


def cache_state(pk):
    """Where an article is listed now: its channel (from the tree), date, tags and whether it is live."""
    row = ArticlePage.objects.filter(pk=pk).values("path", "date", "live", "first_published_at").first()
    if row is None:
        return None
    parent_path = row["path"][: -ArticlePage.steplen]
    return {
        "channel": Page.objects.filter(path=parent_path).values_list("pk", flat=True).first(),
        "date": row["date"],
        "live": row["live"],
        "first_published_at": row["first_published_at"],
        "tags": list(ArticlePageTag.objects.filter(content_object_id=pk).values_list("tag_id", flat=True)),
    }


def changed_keys(article, before=None, deleted=False):
    """The cache keys a change to ``article`` (published, edited, withdrawn, moved, deleted) makes stale.

    Its own page and every page showing it (``page-<id>``: pages that showed it recorded it, so they are
    refreshed too); its channel's list, the home page's and the site-wide lists, where it was (``before``,
    from :func:`cache_state`) and where it is now; and when it enters or leaves a place (a publish, 撤稿,
    move, delete or new date), the 相关新闻 and 上一篇/下一篇 of its date neighbours there and its tags' lists
    (only the tags added or removed otherwise); the 推荐位 if it is now among them. An edit of its text
    alone leaves every other article's page cached.
    """
    changed = {f"page-{article.pk}", "home", "all"}
    after = None if deleted else cache_state(article.pk)
    placed = before is None or after is None or any(before[name] != after[name] for name in PLACE)
    if placed:
        tags = {*(before or {}).get("tags", ()), *(after or {}).get("tags", ())}
    else:
        tags = set(before["tags"]) ^ set(after["tags"])
    changed.update(f"tag-{tag}" for tag in tags)
    for state in (before, after):
        if state is None or state["channel"] is None:
            continue
        changed.add(f"list-{state['channel']}")
        if placed and state["date"] is not None:
            channel = Page.objects.filter(pk=state["channel"]).only("path", "depth").first()
            if channel is not None:
                window = _date_window(channel, state["date"], article.pk, RELATED_LIMIT)
                siblings = ArticlePage.objects.live_public().exclude(pk=article.pk).filter(any_of(*window))
                changed.update(f"related-{pk}" for pk in siblings.values_list("pk", flat=True))
    if after is not None and after["live"] and after["channel"] is not None:
        home = Page.objects.filter(pk=after["channel"]).first()
        home = home.get_parent() if home is not None else None
        if home is not None and hasattr(home.specific, "promoted_items"):
            home = home.specific
            if any(item.pk == article.pk for item in _promoted(home, PROMOTED_LIMIT)):
                changed.add(f"promoted-{home.pk}")
    return changed


def _attach_summaries(articles):
    """Give articles read without their body a ``summary_text``: one query for the bodies of those without a
    summary, and only for them (a body is the largest column)."""
    missing = [article for article in articles if not article.summary.strip()]
    if not missing:
        return
    # The raw JSON, without the StreamValue that the ORM would build around each body first.
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {column(ArticlePage, 'page_ptr', 'a')}, {column(ArticlePage, 'body', 'a')} "
        f"FROM {quote(ArticlePage._meta.db_table)} a WHERE {column(ArticlePage, 'page_ptr', 'a')} "
        f"IN ({', '.join(['%s'] * len(missing))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [article.pk for article in missing])
        bodies = dict(cursor.fetchall())
    for article in missing:
        blocks = bodies.get(article.pk) or "[]"
        while isinstance(blocks, str | bytes):  # JSON text, which StreamField keeps as a JSON string in turn
            blocks = json.loads(blocks)
        article.summary_text = summary_from_body(blocks)


def _newest_first(rows):
    return sorted(rows, key=lambda row: (row.date is not None, row.date, row.pk), reverse=True)


def _promoted(home, limit, preview=False):
    articles = ArticlePage.objects.live_public().defer_streamfields().select_related("cover_image")
    if preview:
        # A preview's unsaved home page holds its items in memory.
        chosen = [item.article_id for item in home.promoted_items.all()]
        if chosen:
            by_id = articles.filter(pk__in=chosen).in_bulk()
            return with_channels([by_id[pk] for pk in chosen if pk in by_id][:limit])
    else:
        # A saved one: the chosen articles in the editors' order, read with their items in one query.
        items = home._meta.get_field("promoted_items").related_model.objects.filter(page=home)
        order = items.filter(article=OuterRef("pk")).order_by("sort_order").values("sort_order")[:1]
        chosen = articles.filter(pk__in=items.values("article_id")).annotate(order=order).order_by("order", "pk")
        chosen = list(chosen[:limit])
        if chosen or items.exists():
            return with_channels(chosen)
    newest = [channel_walk(channel, 1, with_cover=True) for channel in channels_under(home) if channel.live]
    if not newest:
        return []
    by_path = {article.path[: -ArticlePage.steplen]: article for article in articles.filter(any_of(*newest))}
    items = [by_path[channel.path] for channel in channels_under(home) if channel.path in by_path]
    return with_channels(items[:limit])


def promoted_articles(home, limit=PROMOTED_LIMIT, preview=False):
    """Promoted items (推荐位): the editors' choice on the home page, else each channel's latest with a cover.

    The same for every page of a site, so kept per process until it changes (read-only instances); a preview of
    the home page (``preview=True``) reads its unsaved items instead.
    """
    if home is None:
        return []
    if preview or home.pk is None:
        return _promoted(home, limit, preview=True)
    return per_generation(
        f"promoted:{home.pk}:{limit}",
        lambda: _promoted(home, limit),
        keys_of=lambda items: promoted_keys(home, items),
    )


def home_lead_story(home):
    pk = column(ArticlePage, "page_ptr", "a")
    lead_id = home.lead_story_id
    if lead_id is not None:
        lead = live_public_rows(f"{pk} = %s", [lead_id], LEAD_FIELDS, with_cover=True)
        if lead:
            return lead[0]
    channels = [channel for channel in channels_under(home) if channel.live]
    # The newest of the channels' newest, as newest_across() walks them.
    union = union_of(*(channel_walk(channel, 1) for channel in channels))
    if union is None:
        return None
    newest = live_public_rows(
        f"{pk} IN ({union[0]})", union[1], LEAD_FIELDS, with_cover=True, newest_first=True, limit=1
    )
    return newest[0] if newest else None


def channel_latest(home, exclude=None, per_channel=6):
    """Each live, public channel in menu order with its latest articles, those pinned to the home page first,
    for the home page (one query)."""
    channels = [
        channel
        for channel in channels_under(home)
        if channel.live and not any(channel.path.startswith(path) for path in restricted_paths())
    ]
    if not channels:
        return []
    exclude = exclude.pk if exclude is not None else None
    latest = [channel_walk(channel, per_channel, exclude=exclude) for channel in channels]
    by_channel = {channel.path: [] for channel in channels}
    by_pk = {channel.pk: channel.path for channel in channels}
    # 置顶 to the home page: first in their channel's list, in pin order, read in the same query.
    pinned = [pin.article_id for pin in active_pins() if pin.show_on_home and pin.channel_id in by_pk]
    pinned = [pk for pk in pinned if pk != exclude]
    if pinned:
        latest.append(ids_part(pinned))
    rank = {pk: number for number, pk in enumerate(pinned)}
    union_sql, params = union_of(*latest)
    pk = column(ArticlePage, "page_ptr", "a")
    for article in live_public_rows(f"{pk} IN ({union_sql})", params, LISTED_FIELDS, newest_first=True):
        if article.channel_id not in by_pk:  # a pinned article since moved to a channel not listed here
            continue
        article.pinned = article.pk in rank
        by_channel[by_pk[article.channel_id]].append(article)
    for articles in by_channel.values():
        articles.sort(key=lambda article: rank.get(article.pk, len(rank)))  # stable: the rest stay newest first
        del articles[per_channel:]
    return [(channel, by_channel[channel.path]) for channel in channels]


__all__ = [
    "ArticleRelatedPage",
    "RELATED_LIMIT",
    "all_channels",
    "cache_state",
    "changed_keys",
    "ChannelPaginator",
    "channel_latest",
    "channel_of",
    "channels_under",
    "follow_move",
    "home_lead_story",
    "newest_across",
    "promoted_articles",
    "promoted_keys",
    "public_channels",
    "related_and_neighbours",
    "surroundings_keys",
    "with_channels",
]
