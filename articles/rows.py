"""Reader-page queries written once as SQL and turned into model instances as the ORM would.

A cold article page made its queryset anew at every render: building and compiling the article's query
(with its cover image and editor) alone cost more than running it. Here the SQL of each such query is
made once per process from the models' fields, and each row goes through the same database converters
and ``from_db`` as the ORM's. Only for queries whose shape never changes; everything else stays ORM.
"""

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from pagecache.generation import restricted_paths

from .models import ArticleCorrection, ArticlePage, ArticlePageTag, ArticleRelatedPage


def column(model, name, alias):
    """``alias."column"`` of the field ``name`` (or attname) of ``model``, quoted for the database."""
    return f"{alias}.{connection.ops.quote_name(model._meta.get_field(name).column)}"


class Columns:
    """The columns of ``model`` (only ``attnames`` when given, the primary key always) under ``alias``, those
    of an inherited table under its alias in ``parents``: the select list, and how a row's values become an
    instance."""

    def __init__(self, model, alias, attnames=None, parents=None):
        fields = [
            field
            for field in model._meta.concrete_fields
            if attnames is None or field.attname in attnames or field.primary_key
        ]
        self.model = model
        self.attnames = [field.attname for field in fields]
        aliases = [(parents or {}).get(field.model, alias) for field in fields]
        self.sql = ", ".join(column(model, field.attname, at) for field, at in zip(fields, aliases, strict=True))
        self.converters = []
        for number, (field, at) in enumerate(zip(fields, aliases, strict=True)):
            col = field.get_col(at)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                self.converters.append((number, found, col))

    def __len__(self):
        return len(self.attnames)

    def instance_or_none(self, values):
        """The instance, or None for the NULLs of an outer join that found no row."""
        return None if values[self.attnames.index(self.model._meta.pk.attname)] is None else self.instance(values)

    def instance(self, values):
        values = list(values)
        for number, converters, column in self.converters:
            for converter in converters:
                values[number] = converter(values[number], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _articles_from(with_cover):
    """Articles as ``a`` joined to their pages as ``p`` (ArticlePage's columns live in both tables), and their
    cover images as ``i``."""
    joins = (
        f"{_table(Page)} p INNER JOIN {_table(ArticlePage)} a "
        f"ON {column(ArticlePage, 'page_ptr_id', 'a')} = {column(Page, 'id', 'p')}"
    )
    if with_cover:
        image_model = get_image_model()
        joins += (
            f" LEFT OUTER JOIN {_table(image_model)} i ON {column(image_model, 'id', 'i')} "
            f"= {column(ArticlePage, 'cover_image_id', 'a')}"
        )
    return joins


def _article_columns(attnames=None):
    return Columns(ArticlePage, "a", attnames, parents={Page: "p"})


@functools.cache
def _article_query(vendor):
    # The vendor is the cache key: the converters and quoting are the database's.
    user_model = get_user_model()
    article, image, user = _article_columns(), Columns(get_image_model(), "i"), Columns(user_model, "u")
    corrected = (
        f"EXISTS (SELECT 1 FROM {_table(ArticleCorrection)} c "
        f"WHERE {column(ArticleCorrection, 'page_id', 'c')} = {column(ArticlePage, 'page_ptr_id', 'a')} "
        f"AND {column(ArticleCorrection, 'published_at', 'c')} IS NOT NULL)"
    )
    sql = (
        f"SELECT {article.sql}, {image.sql}, {user.sql}, {corrected} FROM {_articles_from(with_cover=True)} "
        f"LEFT OUTER JOIN {_table(user_model)} u ON {column(user_model, user_model._meta.pk.name, 'u')} "
        f"= {column(ArticlePage, 'responsible_editor_id', 'a')} "
        f"WHERE {column(Page, 'path', 'p')} BETWEEN %s AND %s AND {column(Page, 'depth', 'p')} = %s "
        f"AND {column(Page, 'slug', 'p')} = %s LIMIT 1"
    )
    return sql, article, image, user


def article_in_channel(channel, slug):
    """The article at ``slug`` under ``channel`` with its cover image and responsible editor, or None: what
    ``children_of(ArticlePage.objects, channel).filter(slug=slug).select_related("cover_image",
    "responsible_editor").first()`` returns, with its tags and chosen related articles read too (see
    :func:`attach_tags_and_links`), and whether it has a published 更正说明 (``has_published_corrections``)."""
    sql, article_columns, image_columns, user_columns = _article_query(connection.vendor)
    step = ArticlePage.steplen
    with connection.cursor() as cursor:
        cursor.execute(sql, [channel.path + "0" * step, channel.path + "Z" * step, channel.depth + 1, slug])
        row = cursor.fetchone()
    if row is None:
        return None
    split, end = len(article_columns), len(article_columns) + len(image_columns)
    article = article_columns.instance(row[:split])
    article._state.fields_cache["cover_image"] = image_columns.instance_or_none(row[split:end])
    article._state.fields_cache["responsible_editor"] = user_columns.instance_or_none(row[end:-1])
    article.has_published_corrections = bool(row[-1])
    attach_tags_and_links([article])
    return article


@functools.cache
def _tags_and_links_query(vendor, count):
    tag, tagged, link = Columns(Tag, "t"), ArticlePageTag, ArticleRelatedPage
    marks = ", ".join(["%s"] * count)
    tagged_object = column(tagged, "content_object_id", "ti")
    link_page = column(link, "page_id", "r")
    return (
        f"SELECT 0, {tagged_object}, {column(tagged, 'id', 'ti')}, {tag.sql} "
        f"FROM {_table(Tag)} t INNER JOIN {_table(tagged)} ti ON {column(tagged, 'tag_id', 'ti')} = "
        f"{column(Tag, 'id', 't')} WHERE {tagged_object} IN ({marks}) "
        f"UNION ALL SELECT 1, {link_page}, {column(link, 'sort_order', 'r')}, "
        f"{column(link, 'related_page_id', 'r')}, NULL, NULL FROM {_table(link)} r "
        f"WHERE {link_page} IN ({marks})"
    ), tag


def attach_tags_and_links(articles):
    """Fill each saved article's ``tag_list`` and ``chosen_related_ids`` from one query, in the order the
    ORM reads them (tags as tagged, links by their sort order)."""
    if not articles:
        return
    sql, tag_columns = _tags_and_links_query(connection.vendor, len(articles))
    ids = [article.pk for article in articles]
    with connection.cursor() as cursor:
        cursor.execute(sql, ids + ids)
        rows = cursor.fetchall()
    tags, links = {pk: [] for pk in ids}, {pk: [] for pk in ids}
    for kind, owner, order, *values in rows:
        if kind == 0:
            tags[owner].append((order, tag_columns.instance(values)))
        else:
            links[owner].append((order if order is not None else 0, values[0]))
    for article in articles:
        article.__dict__["tag_list"] = [tag for _, tag in sorted(tags[article.pk], key=lambda pair: pair[0])]
        ordered = sorted(links[article.pk], key=lambda pair: pair[0])
        article.__dict__["chosen_related_ids"] = list(dict.fromkeys(pk for _, pk in ordered))


@functools.cache
def _listed_query(vendor, fields, with_cover):
    columns = _article_columns({ArticlePage._meta.get_field(name).attname for name in fields})
    select, image = columns.sql, None
    if with_cover:
        image = Columns(get_image_model(), "i")
        select += f", {image.sql}"
    return select, f"FROM {_articles_from(with_cover)} WHERE {column(Page, 'live', 'p')}", columns, image


def live_public_rows(condition, params, fields, *, with_cover=False, newest_first=False, limit=None, scores=None):
    """The live, public articles matching the SQL ``condition`` on ``a`` (articles) and ``p`` (pages), with only
    ``fields`` read: ``ArticlePage.objects.live_public().filter(…).only(*fields)``, with ``select_related
    ("cover_image")``, ``newest_first()`` and a slice as asked.

    ``scores``, ``(sql, params)`` of ``(id, score)`` rows, is named ``scores`` in the statement (the condition may
    read it) and gives each article its ``score`` (None for an article it does not list)."""
    select, tables, columns, image_columns = _listed_query(connection.vendor, tuple(fields), with_cover)
    sql, where, values = f"SELECT {select} {tables}", [condition], list(params)
    if scores is not None:
        score = f"(SELECT score FROM scores WHERE scores.id = {column(ArticlePage, 'page_ptr_id', 'a')})"
        sql = f"WITH scores (id, score) AS ({scores[0]}) SELECT {select}, {score} {tables}"
        values = [*scores[1], *values]
    for restricted in restricted_paths():
        where.append(f"{column(Page, 'path', 'p')} NOT LIKE %s")
        values.append(f"{restricted}%")
    sql = f"{sql} AND {' AND '.join(where)}"
    if newest_first:
        date, pk = column(ArticlePage, "date", "a"), column(ArticlePage, "page_ptr_id", "a")
        sql += f" ORDER BY {date} DESC, {pk} DESC"
    if limit is not None:
        sql += " LIMIT %s"
        values.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    split = len(columns)
    end = len(columns) + (len(image_columns) if image_columns is not None else 0)
    articles = []
    for row in rows:
        article = columns.instance(row[:split])
        if image_columns is not None:
            article._state.fields_cache["cover_image"] = image_columns.instance_or_none(row[split:end])
        if scores is not None:
            article.score = row[end]
        articles.append(article)
    return articles
