"""The PostgreSQL text search backend with segmented index text and queries."""

import math

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import F, Lookup, Q
from modelsearch.backends.database.postgres import postgres
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


class PostgresObjectIndexer(SegmentedValuesMixin, postgres.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)
            return
        for current_field, weight, value in super().prepare_field(obj, field):
            autocomplete = isinstance(current_field, AutocompleteField)
            yield current_field, weight, self.segmented(value, autocomplete=autocomplete)


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


class AnyOf(Lookup):
    """``field = ANY(values)``, with the list of values sent as one array."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


class PostgresSearchQueryCompiler(OnePassRankingMixin, postgres.PostgresSearchQueryCompiler):
    """Reads matches newest first, a batch at a time, ranking only those (see OnePassRankingMixin).

    Wagtail's compiler joins pages to index entries and runs the match and ``ts_rank`` over every match,
    in the count query and again in the page query. Other queries (fuzzy, ``fields=``, negations) use
    Wagtail's.
    """

    def _entries(self, config):
        # Title and body are matched one by one, so that their own GIN indexes answer (Wagtail's
        # combined vector ``title || body`` has none, and is computed for every entry).
        search_query = self.build_tsquery(self.query, config=config)
        return (
            postgres.IndexEntry.objects.using(self.queryset.db)
            .filter(content_type_id__in=list(postgres.get_descendants_content_types_pks(self.queryset.model)))
            .filter(Q(title=search_query) | Q(body=search_query))
        )

    def _match_batch(self, config, before, size, scored):
        if self.fields or isinstance(self.query, (postgres.MatchAll, postgres.Not, postgres.Fuzzy)):
            return None
        entries = self._entries(config)
        # ts_rank is costly: only the entries the reader may see are ranked, by _rank.
        score = None if scored else 0
        return [(entry_id, int(pk), score) for entry_id, pk in self._newest(entries, before, size)]

    RECENT_ENTRIES = 4096

    def _newest(self, entries, before, size):
        """The ``size`` newest ``(id, object_id)`` of ``entries`` below id ``before``, newest first.

        PostgreSQL estimates a phrase of common characters as rare (督察反馈: 9 rows, when its GIN index
        offers 11,757 among 100,000 articles), so it fetches every candidate and sorts them. The newest
        RECENT_ENTRIES entries are therefore matched first, read from the primary key; a common phrase stops
        there. One that falls a little short (碳达峰: 245 of 250) reads on through a second window, sized by
        how often it matched in the first. What is still missing comes from the GIN index below them, which
        is cheap for the rare phrases that get that far.
        """
        rows = entries.order_by("-id").values_list("id", "object_id")
        found = self._in_window(rows, before, self.RECENT_ENTRIES, size)
        if 0 < len(found) < size:
            window = math.ceil((size - len(found)) * self.RECENT_ENTRIES / len(found) * 1.5)
            if window <= 4 * self.RECENT_ENTRIES:
                found += self._in_window(rows, found[-1][0], window, size - len(found))
        if len(found) < size:
            if not found:
                # Nothing among the newest: continue below them (or below ``before``).
                rows_below = rows.filter(
                    id__lt=entries.model.objects.using(self.queryset.db)
                    .filter(**({"id__lt": before} if before is not None else {}))
                    .order_by("-id")
                    .values("id")[self.RECENT_ENTRIES - 1 : self.RECENT_ENTRIES]
                )
            else:
                rows_below = rows.filter(id__lt=found[-1][0])
            found += rows_below[: size - len(found)]
        return found

    def _in_window(self, rows, before, window, size):
        """The first ``size`` of ``rows`` among the ``window`` entries below id ``before``.

        The window is a subquery with a LIMIT, which the planner cannot merge into the outer query.
        """
        if before is not None:
            rows = rows.filter(id__lt=before)
        table = connections[self.queryset.db].ops.quote_name(rows.model._meta.db_table)
        sql, params = rows[:size].query.sql_with_params()
        recent = f"(SELECT * FROM {table}{' WHERE id < %s' if before is not None else ''} ORDER BY id DESC LIMIT %s)"
        head = f"FROM {table}"
        assert sql.count(head) == 1, sql
        sql = sql.replace(head, f"FROM {recent} AS {table}")
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(sql, [*([before] if before is not None else []), window, *params])
            return cursor.fetchall()

    def _allowed(self, pks):
        # One array parameter rather than IN with one per page: psycopg parses and quotes a query of 250
        # parameters in Python, which took three times as long as PostgreSQL took to answer it.
        if not pks:
            return set()
        return set(self.queryset.filter(AnyOf(F("pk"), pks)).order_by().values_list("pk", flat=True))

    def _rank(self, config, entry_ids):
        vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
        ranked = self._entries(config).filter(id__in=entry_ids)
        return dict(ranked.annotate(score=self._build_rank_expression(vectors, config)).values_list("id", "score"))


def tsquery_text(query):
    """``to_tsquery`` text for typed runs: ``'碳' <-> '汇' <-> '交'`` for consecutive tokens, ``:*`` after an
    unfinished one."""
    if isinstance(query, Typed):
        lexemes = ["'" + token.replace("\\", "\\\\").replace("'", "''") + "'" for token in query.tokens]
        if query.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"
    if isinstance(query, (And, Or)):
        parts = [tsquery_text(subquery) for subquery in query.subqueries]
        if None in parts:
            return None
        return "(" + (" & " if isinstance(query, And) else " | ").join(parts) + ")"
    return None


class PostgresAutocompleteQueryCompiler(
    AutocompleteMixin, PostgresSearchQueryCompiler, postgres.PostgresAutocompleteQueryCompiler
):
    """Typed runs matched as phrases of the autocomplete vector's characters (its GIN index), newest first."""

    def _entries(self, config):
        search_query = SearchQuery(tsquery_text(self.query), search_type="raw", config=config)
        return (
            postgres.IndexEntry.objects.using(self.queryset.db)
            .filter(content_type_id__in=list(postgres.get_descendants_content_types_pks(self.queryset.model)))
            .filter(autocomplete=search_query)
        )

    def _match_batch(self, config, before, size, scored):
        if self.fields or tsquery_text(self.query) is None:
            return None  # named fields, negations and the like: Wagtail's compiler
        return super()._match_batch(config, before, size, scored)


class PostgresSearchResults(OnePassResultsMixin, postgres.PostgresSearchResults):
    pass


class PostgresSearchBackend(SegmentingBackendMixin, postgres.PostgresSearchBackend):
    index_class = PostgresIndex
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
    results_class = PostgresSearchResults

    def __init__(self, params):
        # Segmented Chinese needs no stemming or stop words: 'simple' keeps every word, lower-cased.
        super().__init__({"SEARCH_CONFIG": "simple", **params})
