"""Invalidation: every change a reader could see starts a new content generation and purges the edge.

Connected in PageCacheConfig.ready(); the models whose saves and deletes invalidate are the setting
``PAGE_CACHE["INVALIDATE_ON"]`` (model labels).
"""

import logging

from django.conf import settings
from django.db import transaction

from .generation import bump_generation, config

logger = logging.getLogger(__name__)

# --- invalidation -------------------------------------------------------------------------------------


def content_changed(**kwargs):
    """Something readers can see changed: new generation now, again after commit, and purge the edge."""
    bump_generation()
    transaction.on_commit(_after_commit)


def _after_commit():
    bump_generation()
    purge_edge_cache()


def purge_edge_cache():
    """One PURGE per site root through Wagtail's frontend-cache backends; the VCL bans the whole host."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Site

    try:
        purge_urls_from_cache([site.root_url + "/" for site in Site.objects.all()])
    except Exception:  # a cache that is down must never fail a publish
        logger.exception("Could not purge the edge cache")


# Saves that readers cannot see: Wagtail records an image's size and hash lazily while rendering (and a
# site's settings row is created with its defaults on its first read: PAGE_CACHE["IGNORE_CREATED"]).
INVISIBLE_IMAGE_FIELDS = {"file_size", "file_hash"}


def _saved(sender, instance, created=False, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= INVISIBLE_IMAGE_FIELDS:
        return
    if created and sender._meta.label in config("IGNORE_CREATED"):
        return
    content_changed()


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()


def connect():
    """Connect :func:`content_changed` to page publication, unpublication, moves and deletions, and to saves and
    deletes of the models named in ``PAGE_CACHE["INVALIDATE_ON"]``."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(content_changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(content_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="pagecache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="pagecache-page-deleted")
    for label in config("INVALIDATE_ON"):
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-saved-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-deleted-{label}")
