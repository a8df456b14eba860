"""Wagtail's database search backends with Chinese word segmentation.

Configured in ``WAGTAILSEARCH_BACKENDS`` as ``search.backends``. On SQLite (FTS5) and PostgreSQL
the indexed text and the query are segmented by :mod:`search.chinese` before they reach the
database, so models keep Wagtail's API (``search_fields``, ``Page.objects.live().search(...)``).
Any other database gets Wagtail's unsegmented fallback backend. Large sites can switch to the
Elasticsearch/OpenSearch backend with a Chinese analyzer instead (see docs/search.md).
"""

import functools

from django.db import connection
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText

from search.chinese import index_text, inner_words, query_terms


def segment_query(query, operator=None):
    """The query with every text part cut into words; None when nothing searchable is left.

    A plain-text query of several terms requires each of them (or any, with ``operator="or"``);
    a long term also matches when all of its inner dictionary words do.
    """
    if isinstance(query, str):
        return terms_query(query_terms(query), operator or "and")
    if isinstance(query, PlainText):
        return terms_query(query_terms(query.query_string), query.operator)
    if isinstance(query, Phrase):
        terms = query_terms(query.query_string)
        return Phrase(" ".join(terms)) if terms else None
    if isinstance(query, (And, Or)):
        subqueries = [segment_query(subquery, operator) for subquery in query.subqueries]
        subqueries = [subquery for subquery in subqueries if subquery is not None]
        if not subqueries:
            return None
        return subqueries[0] if len(subqueries) == 1 else type(query)(subqueries)
    if isinstance(query, Not):
        subquery = segment_query(query.subquery, operator)
        return Not(subquery) if subquery is not None else None
    if isinstance(query, Boost):
        subquery = segment_query(query.subquery, operator)
        return Boost(subquery, query.boost) if subquery is not None else None
    return query  # MatchAll, Fuzzy: nothing to segment


def terms_query(terms, operator):
    if not terms:
        return None
    expanded = [(term, inner_words(term)) for term in terms]
    if not any(inner for _, inner in expanded):
        return PlainText(" ".join(terms), operator=operator)
    parts = [
        Or([PlainText(term), PlainText(" ".join(inner), operator="and")]) if inner else PlainText(term)
        for term, inner in expanded
    ]
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


class SegmentingBackendMixin:
    """Segments queries before Wagtail's query compilers see them; an all-punctuation query finds nothing."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = segment_query(query, kwargs.get("operator"))
        if query is None:
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


class SegmentedValuesMixin:
    """An ObjectIndexer whose text values are segmented once each, whatever field group asks for them."""

    def segmented(self, value):
        cache = self.__dict__.setdefault("_segmented", {})
        if value not in cache:
            cache[value] = index_text(value)
        return cache[value]


class OnePassRankingMixin:
    """Query compiler part shared by both backends: matches are read once for the count and the page,
    and a common word costs what a rare one does.

    The index is read newest entry first, BATCH entries at a time, keeping those the queryset allows
    (live, public, the chosen channel), until MAX_RESULTS are kept or SCAN_LIMIT entries were read.
    Readers therefore page through at most the MAX_RESULTS most recent matches, ranked by relevance (or
    date); ``truncated`` says when older matches were left out. Subclasses provide
    ``_match_batch(config, before, size, scored)``: ``[(entry id, page pk, score)]`` newest entry first,
    below entry id ``before`` (None: from the newest), or None for queries left to Wagtail's own
    compiler. The score is 0 unless ``scored``, and may be None when the backend scores later, only the
    kept entries, with ``_rank(config, entry_ids)``. ``HIGHER_IS_BETTER`` says which way scores rank.
    """

    HIGHER_IS_BETTER = True
    MAX_RESULTS = 1000
    BATCH = 1000
    SCAN_LIMIT = 10_000

    def _scores(self, config):
        """{page pk: score} for the kept matches (all 0 when sorting by date), or None when Wagtail's
        compiler handles the query."""
        if hasattr(self, "_cached_scores"):
            return self._cached_scores
        kept, before, scanned, self.truncated = {}, None, 0, False
        while True:
            batch = self._match_batch(config, before, self.BATCH, scored=self.order_by_relevance)
            if batch is None:
                self._cached_scores = None
                return None
            candidates = self.queryset.filter(pk__in=[pk for _, pk, _ in batch]).order_by()
            allowed = set(candidates.values_list("pk", flat=True))
            for entry_id, pk, score in batch:
                if pk in allowed and len(kept) < self.MAX_RESULTS:
                    kept[entry_id] = (pk, score)
            scanned += len(batch)
            if len(batch) < self.BATCH:
                break
            if len(kept) >= self.MAX_RESULTS or scanned >= self.SCAN_LIMIT:
                self.truncated = True
                break
            before = batch[-1][0]
        unscored = [entry_id for entry_id, (_, score) in kept.items() if score is None]
        ranks = self._rank(config, unscored) if unscored else {}
        self._cached_scores = {
            pk: ranks.get(entry_id, 0) if score is None else score for entry_id, (pk, score) in kept.items()
        }
        return self._cached_scores

    def _rank(self, config, entry_ids):
        raise NotImplementedError("a backend whose batches leave scores to later ranks them here")

    def _matching_pks(self, config):
        """Pks of the kept matches: in the queryset's own order when the reader sorts by date, else unordered."""
        if not hasattr(self, "_cached_pks"):
            scores = self._scores(config)
            if scores is None:
                self._cached_pks = None
            elif self.order_by_relevance or not scores:
                self._cached_pks = list(scores)
            else:
                self._cached_pks = list(self.queryset.filter(pk__in=list(scores)).values_list("pk", flat=True))
        return self._cached_pks

    def ranked(self, config, start, stop, score_field=None):
        """The objects from start to stop, best (or newest) first, or None to let Wagtail's search() handle it."""
        pks = self._matching_pks(config)
        if pks is None:
            return None
        scores = self._scores(config)
        if self.order_by_relevance:
            sign = -1 if self.HIGHER_IS_BETTER else 1
            # Ties go to the newer page, as in Wagtail's ordering.
            page = sorted(pks, key=lambda pk: (sign * scores[pk], -pk))[start:stop]
        else:
            page = pks[start:stop]
        objects = self.queryset.order_by().in_bulk(page)
        results = [objects[pk] for pk in page if pk in objects]
        if score_field:
            for obj in results:
                setattr(obj, score_field, scores[obj.pk])
        return results

    def count(self, config):
        pks = self._matching_pks(config)
        return None if pks is None else len(pks)


class OnePassResultsMixin:
    """Search results that use :class:`OnePassRankingMixin` where it applies, Wagtail's path elsewhere."""

    def _do_search(self):
        compiler = self.query_compiler
        results = compiler.ranked(compiler.get_config(self.backend), self.start, self.stop, self._score_field)
        return results if results is not None else super()._do_search()

    def _do_count(self):
        count = self.query_compiler.count(self.query_compiler.get_config(self.backend))
        return count if count is not None else super()._do_count()


@functools.cache
def sqlite_fts_usable():
    """Whether SQLite has FTS5 and its index table exists; checked once per process, as Wagtail does."""
    from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

    return fts5_available() and fts_table_exists()


def SearchBackend(params):  # noqa: N802 -- Wagtail looks the backend up by this name
    """The segmenting backend for the default database, as wagtail.search.backends.database chooses its own."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite" and sqlite_fts_usable():
        from .sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    from modelsearch.backends.database.fallback import DatabaseSearchBackend

    return DatabaseSearchBackend(params)
