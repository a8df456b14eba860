"""The SQLite FTS5 backend with segmented index text and queries."""

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.index import RelatedFields
from modelsearch.utils import get_content_type_pk

from . import SegmentedValuesMixin, SegmentingBackendMixin


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


class SQLiteSearchBackend(SegmentingBackendMixin, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
