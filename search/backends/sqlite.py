"""The SQLite FTS5 backend with segmented index text and queries."""

from django.db import connections
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.index import AutocompleteField, RelatedFields
from modelsearch.query import And, Or
from modelsearch.utils import get_content_type_pk

from . import (
    AutocompleteMixin,
    OnePassRankingMixin,
    OnePassResultsMixin,
    SegmentedValuesMixin,
    SegmentingBackendMixin,
    Typed,
)


class SQLiteObjectIndexer(SegmentedValuesMixin, sqlite.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            # Recurses into this method for each related value, which segments it.
            yield from super().prepare_field(obj, field)
            return
        for current_field, value in super().prepare_field(obj, field):
            yield current_field, self.segmented(value, autocomplete=isinstance(current_field, AutocompleteField))


class SQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        # As sqlite.SQLiteIndex.add_items, with the segmenting indexer.
        if not model.get_search_fields():
            return
        indexers = [SQLiteObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}

        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed_ids = set(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
        for object_id in indexed_ids:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
        self.entries.bulk_create(
            sqlite.IndexEntry(
                content_type_id=content_type_pk,
                object_id=object_id,
                title=title,
                autocomplete=autocomplete,
                body=body,
            )
            for object_id, (title, autocomplete, body) in data.items()
            if object_id not in indexed_ids
        )
        self._refresh_title_norms()


class SQLiteSearchQueryCompiler(OnePassRankingMixin, sqlite.SQLiteSearchQueryCompiler):
    """Reads matches newest first, a batch at a time, with FTS5's own BM25 (see OnePassRankingMixin).

    Wagtail's SQLite compiler joins the FTS5 table to the index entries and lets SQLite choose the join
    order; SQLite loops over the entries and runs the MATCH once per entry, and it orders by a correlated
    subquery that does the same per result: 15 s for 黄河 among 10,000 articles. Here FTS5 walks its
    doclists from the newest row down and stops at the batch size, scoring those rows with BM25 (a title
    match weighs TITLE_WEIGHT times a body match); rows map to pages through the entries' primary key.
    """

    TITLE_WEIGHT = 3.0
    HIGHER_IS_BETTER = False  # BM25: lower is better

    def _match(self, config):
        query = sqlite.normalize(self.query)
        if isinstance(query, (sqlite.MatchAll, sqlite.Not)):
            return None
        match = sqlite.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config))
        compiler = sqlite.SQLiteFTSIndexEntry.objects.all().query.get_compiler(using=self.queryset.db)
        return match.as_sql(compiler, compiler.connection)

    def _match_batch(self, config, before, size, scored):
        match = self._match(config)
        if match is None:
            return None
        match_sql, match_params = match
        content_types = list(sqlite.get_descendants_content_types_pks(self.queryset.model))
        fts, entries = sqlite.SQLiteFTSIndexEntry._meta.db_table, sqlite.IndexEntry._meta.db_table
        # FTS columns: autocomplete, body, title.
        score, score_params = (f"bm25({fts}, 0.0, 1.0, %s)", [self.TITLE_WEIGHT]) if scored else ("0", [])
        below = f"AND {fts}.rowid < %s" if before is not None else ""
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(
                f"SELECT {fts}.rowid, entry.object_id, {score} FROM {fts} "
                f"JOIN {entries} AS entry ON entry.id = {fts}.rowid "
                f"WHERE {match_sql} {below} AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))}) "
                f"ORDER BY {fts}.rowid DESC LIMIT %s",
                [*score_params, *match_params, *([before] if before is not None else []), *content_types, size],
            )
            return [(entry_id, int(pk), value) for entry_id, pk, value in cursor.fetchall()]


def fts5_expression(query):
    """FTS5 query text for typed runs: ``"碳 汇 交"`` for consecutive tokens, ``*`` after an unfinished one."""
    if isinstance(query, Typed):
        return '"' + " ".join(query.tokens) + '"' + ("*" if query.prefix else "")
    if isinstance(query, (And, Or)):
        parts = [fts5_expression(subquery) for subquery in query.subqueries]
        if None in parts:
            return None
        return "(" + (" AND " if isinstance(query, And) else " OR ").join(parts) + ")"
    return None


class SQLiteAutocompleteQueryCompiler(
    AutocompleteMixin, SQLiteSearchQueryCompiler, sqlite.SQLiteAutocompleteQueryCompiler
):
    """Typed runs matched as FTS5 phrases of the autocomplete column's characters, newest first."""

    def _match(self, config):
        expression = None if self.fields else fts5_expression(self.query)
        if expression is None:
            return None  # named fields, negations and the like: Wagtail's compiler
        # Tokens are letters and digits only (search.chinese.typed_runs), so no quoting can break out.
        return f"{sqlite.SQLiteFTSIndexEntry._meta.db_table} MATCH %s", [f"{{autocomplete}} : ({expression})"]


class SQLiteSearchResults(OnePassResultsMixin, sqlite.SQLiteSearchResults):
    pass


class SQLiteSearchBackend(SegmentingBackendMixin, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
    results_class = SQLiteSearchResults
