"""Invalidation: a change bumps the keys of what it changes, and purges those keys from the edge.

Connected in PageCacheConfig.ready(). A page class says what a change to one of its pages makes stale with
``changed_cache_keys(before)``, where ``before`` is what its ``cache_state()`` returned before the change
(None when unknown); a page without those methods (the tree's root, a page type without lists) bumps the
global generation ("*"), as do the models of ``PAGE_CACHE["INVALIDATE_ON"]``, unless named there with their
keys (``("home.SiteSettings", ("settings",))``).

Keys are bumped at the change and again after the transaction commits (a render that read the old rows in
between is not stored, see pagecache.keys), and purged from Varnish after the commit.
"""

import logging
import threading
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from . import keys
from .generation import config

logger = logging.getLogger(__name__)

# --- invalidation -------------------------------------------------------------------------------------


def invalidate(changed):
    """``changed`` keys are stale: bump them now, again after commit, and purge them from the edge."""
    changed = frozenset(changed)
    keys.bump(changed)
    transaction.on_commit(lambda: _after_commit(changed))


def content_changed(**kwargs):
    """Something readers can see changed and no key names it: a new global generation."""
    invalidate({keys.EVERYTHING})


def _after_commit(changed):
    keys.bump(changed)
    purge_edge_cache(changed)


def _frontend_cache_locations():
    backends = getattr(settings, "WAGTAILFRONTENDCACHE", None) or {}
    return [backend["LOCATION"] for backend in backends.values() if backend.get("LOCATION")]


def purge_edge_cache(changed=frozenset({keys.EVERYTHING})):
    """Purge the edge: one ``PURGE`` with ``xkey-purge: <keys>`` per Varnish, or for "*" one PURGE per site
    root through Wagtail's frontend-cache backends (the VCL bans the whole host). Never fails a publish."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        if keys.EVERYTHING in changed:
            from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
            from wagtail.models import Site

            purge_urls_from_cache([site.root_url + "/" for site in Site.objects.all()])
            return
        for location in _frontend_cache_locations():
            request = urllib.request.Request(  # noqa: S310 (the configured Varnish)
                location.rstrip("/") + "/",
                method="PURGE",
                headers={"xkey-purge": " ".join(sorted(changed)), "Host": urlsplit(location).netloc},
            )
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310
                pass
    except Exception:  # a cache that is down must never fail a publish
        logger.exception("Could not purge the edge cache")


# --- pages ----------------------------------------------------------------------------------------------

# What each page looked like before a change, from cache_state(), by pk, until the change's signal.
_before = threading.local()


def _remember(page):
    state = getattr(page, "cache_state", None)
    if state is None or page.pk is None:
        return
    remembered = _before.__dict__.setdefault("states", {})
    if len(remembered) > 100:  # saves that no publish followed (drafts made by code): forget them
        remembered.clear()
    remembered[page.pk] = state()


def _changed(page, **kwargs):
    """The keys a change to ``page`` makes stale, given what it was before (if remembered)."""
    before = _before.__dict__.get("states", {}).pop(page.pk, None)
    method = getattr(page, "changed_cache_keys", None)
    if method is None:
        return {keys.EVERYTHING}
    return method(before, **kwargs)


def _page_saving(sender, instance, update_fields=None, **kwargs):
    # Full saves (publishing, withdrawing) and saves that can move the page in a list; draft revisions save
    # only their bookkeeping fields.
    if instance.pk is None or getattr(instance, "cache_state", None) is None:
        return
    if update_fields is not None and not {"live", "date", "path", "url_path", "title"} & set(update_fields):
        return
    _remember(instance)


def _page_published(sender, instance, **kwargs):
    invalidate(_changed(instance.specific))


def _page_moving(sender, instance, **kwargs):
    _remember(instance.specific)


def _page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    invalidate(_changed(instance.specific, parent=parent_page_after))


def _page_deleting(sender, instance, **kwargs):
    _remember(instance)


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if not isinstance(instance, Page):
        return
    if type(instance) is Page and instance.specific_class not in (None, Page):
        return  # the specific row's own post_delete speaks for it
    if getattr(instance, "changed_cache_keys", None) is None:
        invalidate({keys.EVERYTHING})
        return
    invalidate(_changed(instance, deleted=True))


# --- other models ---------------------------------------------------------------------------------------

# Saves that readers cannot see: Wagtail records an image's size and hash lazily while rendering (and a
# site's settings row is created with its defaults on its first read: PAGE_CACHE["IGNORE_CREATED"]).
INVISIBLE_IMAGE_FIELDS = {"file_size", "file_hash"}


def _watched():
    """``{label: keys}`` from ``PAGE_CACHE["INVALIDATE_ON"]`` (a bare label: the global generation)."""
    watched = {}
    for entry in config("INVALIDATE_ON"):
        label, changed = (entry, (keys.EVERYTHING,)) if isinstance(entry, str) else entry
        watched[label] = frozenset(changed)
    return watched


def _saved_handler(changed):
    def saved(sender, instance, created=False, update_fields=None, **kwargs):
        if update_fields and set(update_fields) <= INVISIBLE_IMAGE_FIELDS:
            return
        if created and sender._meta.label in config("IGNORE_CREATED"):
            return
        invalidate(changed)

    return saved


def _deleted_handler(changed):
    def deleted(sender, instance, **kwargs):
        invalidate(changed)

    return deleted


_handlers = []


def connect():
    """Connect invalidation to page publication, unpublication, moves and deletions, and to saves and
    deletes of the models named in ``PAGE_CACHE["INVALIDATE_ON"]``."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
    from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

    page_published.connect(_page_published, dispatch_uid="pagecache-published")
    page_unpublished.connect(_page_published, dispatch_uid="pagecache-unpublished")
    pre_page_move.connect(_page_moving, dispatch_uid="pagecache-moving")
    post_page_move.connect(_page_moved, dispatch_uid="pagecache-moved")
    pre_save.connect(_page_saving, dispatch_uid="pagecache-page-saving")
    pre_delete.connect(_page_deleting, dispatch_uid="pagecache-page-deleting")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-deleted")
    for label, changed in _watched().items():
        model = apps.get_model(label)
        saved, deleted = _saved_handler(changed), _deleted_handler(changed)
        _handlers.extend([saved, deleted])  # signals hold weak references
        post_save.connect(saved, sender=model, dispatch_uid=f"pagecache-saved-{label}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"pagecache-deleted-{label}")
