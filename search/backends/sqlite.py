"""The SQLite FTS5 backend with segmented index text and queries."""

from django.db import connections
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.index import RelatedFields
from modelsearch.utils import get_content_type_pk

from . import OnePassRankingMixin, OnePassResultsMixin, SegmentedValuesMixin, SegmentingBackendMixin


class SQLiteObjectIndexer(SegmentedValuesMixin, sqlite.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            # Recurses into this method for each related value, which segments it.
            yield from super().prepare_field(obj, field)
            return
        for current_field, value in super().prepare_field(obj, field):
            yield current_field, self.segmented(value)


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
    """Ranks and counts with one pass of the full-text index.

    Wagtail's SQLite compiler joins the FTS5 table to the index entries and lets SQLite choose the join
    order; SQLite loops over the entries and runs the MATCH once per entry, and it orders by a correlated
    subquery that does the same per result: 15 s for 黄河 among 10,000 articles. Here the MATCH runs once
    and scores with FTS5's own BM25 (a title match weighs TITLE_WEIGHT times a body match); index rows map
    to pages through the (content type, object id) index alone; the queryset's filters (live, public,
    channel) come from one query on the pages; the page of results is sorted in Python.
    """

    TITLE_WEIGHT = 3.0
    HIGHER_IS_BETTER = False  # BM25: lower is better

    def _scores(self, config):
        """{page pk: bm25 score} for every match (lower is better), or None when not a plain match."""
        if hasattr(self, "_cached_scores"):
            return self._cached_scores
        query = sqlite.normalize(self.query)
        if isinstance(query, (sqlite.MatchAll, sqlite.Not)):
            self._cached_scores = None
            return None
        match = sqlite.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config))
        compiler = sqlite.SQLiteFTSIndexEntry.objects.all().query.get_compiler(using=self.queryset.db)
        match_sql, match_params = match.as_sql(compiler, compiler.connection)
        content_types = list(sqlite.get_descendants_content_types_pks(self.queryset.model))
        fts = sqlite.SQLiteFTSIndexEntry._meta.db_table
        with connections[self.queryset.db].cursor() as cursor:
            # Columns: autocomplete, body, title.
            cursor.execute(
                f"SELECT rowid, bm25({fts}, 0.0, 1.0, %s) FROM {fts} WHERE {match_sql}",
                [self.TITLE_WEIGHT, *match_params],
            )
            by_entry = dict(cursor.fetchall())
        entries = sqlite.IndexEntry.objects.using(self.queryset.db).filter(content_type_id__in=content_types)
        self._cached_scores = {
            int(object_id): by_entry[entry_id]
            for entry_id, object_id in entries.values_list("id", "object_id").iterator()
            if entry_id in by_entry
        }
        return self._cached_scores


class SQLiteSearchResults(OnePassResultsMixin, sqlite.SQLiteSearchResults):
    pass


class SQLiteSearchBackend(SegmentingBackendMixin, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    query_compiler_class = SQLiteSearchQueryCompiler
    results_class = SQLiteSearchResults
