"""Wagtail's database search backends with Chinese word segmentation.

Configured in ``WAGTAILSEARCH_BACKENDS`` as ``search.backends``. On SQLite (FTS5) and PostgreSQL
the indexed text and the query are segmented by :mod:`search.chinese` before they reach the
database, so models keep Wagtail's API (``search_fields``, ``Page.objects.live().search(...)``).
Any other database gets Wagtail's unsegmented fallback backend. Large sites can switch to the
Elasticsearch/OpenSearch backend with a Chinese analyzer instead (see docs/search.md).

Both ``search()`` (readers) and ``autocomplete()`` (the admin's page search, channel lists and page
chooser) read the index through :class:`OnePassRankingMixin`. Autocomplete matches what was typed as
consecutive characters of the title (:func:`search.chinese.typed_runs`), so part of a word finds it.
"""

import functools
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText
from wagtail.models import Page, Revision, WorkflowState
from wagtail.query import PageQuerySet, SpecificIterable

from search.chinese import autocomplete_text, index_text, inner_words, is_ideograph, query_terms, typed_runs


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


class Typed(Phrase):
    """A run of typed text for autocomplete: tokens that must appear consecutively, the last one possibly
    unfinished (``prefix``). Wagtail's own compilers, where they are used, read it as a phrase."""

    def __init__(self, tokens, prefix=False):
        super().__init__(" ".join(tokens))
        self.tokens = list(tokens)
        self.prefix = prefix

    def __repr__(self):
        return f"<Typed {self.tokens!r}{' prefix' if self.prefix else ''}>"


def autocomplete_query(query, operator=None):
    """The query as runs of autocomplete tokens (see :func:`search.chinese.typed_runs`); None when nothing
    searchable is left. Every run must match (any, with ``operator="or"``)."""
    if isinstance(query, str):
        return typed_query(query, operator or "and")
    if isinstance(query, PlainText):
        return typed_query(query.query_string, query.operator)
    if isinstance(query, Phrase):
        return typed_query(query.query_string, "and")
    if isinstance(query, (And, Or)):
        subqueries = [autocomplete_query(subquery, operator) for subquery in query.subqueries]
        subqueries = [subquery for subquery in subqueries if subquery is not None]
        if not subqueries:
            return None
        return subqueries[0] if len(subqueries) == 1 else type(query)(subqueries)
    if isinstance(query, Not):
        subquery = autocomplete_query(query.subquery, operator)
        return Not(subquery) if subquery is not None else None
    if isinstance(query, Boost):
        subquery = autocomplete_query(query.subquery, operator)
        return Boost(subquery, query.boost) if subquery is not None else None
    return query  # MatchAll, Fuzzy


def typed_query(text, operator):
    # A last token in Latin letters or digits may be unfinished (COP for COP27); a Chinese character
    # is whole, and a prefix on it would make SQLite merge every indexed word that starts with it.
    runs = [Typed(tokens, prefix=not is_ideograph(tokens[-1])) for tokens in typed_runs(text)]
    if not runs:
        return None
    if len(runs) == 1:
        return runs[0]
    return And(runs) if str(operator).lower() == "and" else Or(runs)


class SegmentingBackendMixin:
    """Segments queries before Wagtail's query compilers see them; an all-punctuation query finds nothing."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if query_compiler_class is self.autocomplete_query_compiler_class:
            query = autocomplete_query(query, kwargs.get("operator"))
        else:
            query = segment_query(query, kwargs.get("operator"))
        if query is None:
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


class SegmentedValuesMixin:
    """An ObjectIndexer whose text values are segmented once each, whatever field group asks for them:
    words for search fields, characters for autocomplete fields."""

    def segmented(self, value, autocomplete=False):
        cache = self.__dict__.setdefault("_segmented", {})
        key = (value, autocomplete)
        if key not in cache:
            cache[key] = autocomplete_text(value) if autocomplete else index_text(value)
        return cache[key]


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
    # False: relevance is "newest first" (autocomplete, where every match is a title containing the text).
    SCORED = True
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
            batch = self._match_batch(config, before, self.BATCH, scored=self.order_by_relevance and self.SCORED)
            if batch is None:
                self._cached_scores = None
                return None
            allowed = self._allowed([pk for _, pk, _ in batch])
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

    def _allowed(self, pks):
        """Those of ``pks`` the queryset keeps."""
        return set(self.queryset.filter(pk__in=pks).order_by().values_list("pk", flat=True))

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
        objects = self._rows(self.queryset.order_by()).in_bulk(page)
        results = [objects[pk] for pk in page if pk in objects]
        if score_field:
            for obj in results:
                setattr(obj, score_field, scores[obj.pk])
        return results

    def _rows(self, queryset):
        """The queryset the page of results is read from."""
        return queryset

    def count(self, config):
        pks = self._matching_pks(config)
        return None if pks is None else len(pks)


class AutocompleteMixin:
    """The autocomplete side of a compiler: newest matches first; pages come ready for an admin listing.

    Autocomplete serves the admin's page search, channel lists and page chooser, whose tables show each
    page's parent (an article's channel) and status; see :func:`prepare_listing_rows`.
    """

    SCORED = False
    LISTING_ROWS = True
    # An editor picking a page refines the words rather than paging on: ten chooser pages of the newest
    # matches are plenty, and reading fewer keeps a common word as quick as a rare one.
    MAX_RESULTS = 250
    BATCH = 250

    def _rows(self, queryset):
        # Listing rows show page fields only: leave an article's body and other own fields unread.
        if isinstance(queryset, PageQuerySet) and queryset._iterable_class is SpecificIterable:
            return queryset.specific(defer=True)
        return queryset


def prepare_listing_rows(pages):
    """Give admin listing rows their parent, approved schedule and active workflow states in three queries.

    Wagtail's page chooser reads each of them per row (``get_parent()``, ``approved_schedule``,
    ``workflow_in_progress``): three queries a result. Values a queryset already annotated are kept.
    """
    Page.objects.annotate_parent_page(pages)
    ids = [str(page.pk) for page in pages]
    scheduled = set(
        Revision.page_revisions.filter(object_id__in=ids, approved_go_live_at__isnull=False).values_list(
            "object_id", flat=True
        )
    )
    states = defaultdict(list)
    active = WorkflowState.objects.active().filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=ids
    )
    for state in active.select_related("current_task_state__task"):
        states[state.object_id].append(state)
    for page in pages:
        if page._parent_page is not None:
            page._cached_parent_obj = page._parent_page  # what treebeard's get_parent() returns when set
        if not hasattr(page, "_approved_schedule"):
            page._approved_schedule = str(page.pk) in scheduled
        if not hasattr(page, "_current_workflow_states"):
            page._current_workflow_states = states[str(page.pk)]


class OnePassResultsMixin:
    """Search results that use :class:`OnePassRankingMixin` where it applies, Wagtail's path elsewhere."""

    def _do_search(self):
        compiler = self.query_compiler
        results = compiler.ranked(compiler.get_config(self.backend), self.start, self.stop, self._score_field)
        if results is None:
            results = list(super()._do_search())
        if getattr(compiler, "LISTING_ROWS", False) and issubclass(compiler.queryset.model, Page) and results:
            prepare_listing_rows(results)
        return results

    def _do_count(self):
        count = self.query_compiler.count(self.query_compiler.get_config(self.backend))
        return count if count is not None else super()._do_count()

    def facet(self, field_name):
        """Counts per value of ``field_name`` among the kept matches (the admin's page types filter)."""
        compiler = self.query_compiler
        pks = compiler._matching_pks(compiler.get_config(self.backend))
        if pks is None or compiler._get_filterable_field(field_name) is None:
            return super().facet(field_name)  # Wagtail's, which also explains a field that is not filterable
        rows = (
            compiler.queryset.model._default_manager.filter(pk__in=pks)
            .order_by()
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return {row[field_name]: row["count"] for row in rows}


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
