"""The PostgreSQL text search backend with segmented index text and queries."""

from django.db.models import F
from modelsearch.backends.database.postgres import postgres
from modelsearch.index import RelatedFields
from modelsearch.utils import get_content_type_pk

from . import OnePassRankingMixin, OnePassResultsMixin, SegmentedValuesMixin, SegmentingBackendMixin


class PostgresObjectIndexer(SegmentedValuesMixin, postgres.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)
            return
        for current_field, weight, value in super().prepare_field(obj, field):
            yield current_field, weight, self.segmented(value)


class PostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        # As postgres.PostgresIndex.add_items, with the segmenting indexer.
        if not model.get_search_fields():
            return
        indexers = [PostgresObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = postgres.InsertQuery(postgres.IndexEntry).get_compiler(connection=self.write_connection)
        rows = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            columns = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(postgres.IndexEntry._meta.get_field(name), getattr(indexer, name))
                sql, value_params = value.as_sql(compiler, self.write_connection)
                columns.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {columns[0]}, {columns[1]}, {columns[2]}, 1.0, %s, %s)")

        table = postgres.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,
                params,
            )
        self._refresh_title_norms()


class PostgresSearchQueryCompiler(OnePassRankingMixin, postgres.PostgresSearchQueryCompiler):
    """Matches and ranks once for both the count and the page of results.

    Wagtail's compiler joins pages to index entries and runs the match and ``ts_rank`` in the count query
    and again in the page query. Here one query on the index entries returns every match with its rank,
    the queryset's filters (live, public, channel) come from one query on the pages, and the page of
    results is sorted in Python. Other queries (fuzzy, ``fields=``, negations, date order) use Wagtail's.
    """

    def _scores(self, config):
        """{page pk: rank} for every match (higher is better), or None for queries left to Wagtail."""
        if hasattr(self, "_cached_scores"):
            return self._cached_scores
        self._cached_scores = None
        if self.fields or isinstance(self.query, (postgres.MatchAll, postgres.Not, postgres.Fuzzy)):
            return None
        search_query = self.build_tsquery(self.query, config=config)
        vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
        entries = (
            postgres.IndexEntry.objects.using(self.queryset.db)
            .filter(content_type_id__in=list(postgres.get_descendants_content_types_pks(self.queryset.model)))
            .annotate(_vector_=F("title")._combine(F("body"), "||", False))
            .filter(_vector_=search_query)
            .annotate(score=self._build_rank_expression(vectors, config))
        )
        self._cached_scores = {int(object_id): score for object_id, score in entries.values_list("object_id", "score")}
        return self._cached_scores


class PostgresSearchResults(OnePassResultsMixin, postgres.PostgresSearchResults):
    pass


class PostgresSearchBackend(SegmentingBackendMixin, postgres.PostgresSearchBackend):
    index_class = PostgresIndex
    query_compiler_class = PostgresSearchQueryCompiler
    results_class = PostgresSearchResults

    def __init__(self, params):
        # Segmented Chinese needs no stemming or stop words: 'simple' keeps every word, lower-cased.
        super().__init__({"SEARCH_CONFIG": "simple", **params})
