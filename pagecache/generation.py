"""The content generation: one token for "the public content as of now", and data kept per generation."""

import hashlib
import os
import tempfile
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

GENERATION_KEY = "qingshan:content-generation"
DEFAULTS = {
    "ENABLED": True,
    "CACHE": "pages",
    "TIMEOUT": 600,
    # Fragments ({% fragmentcache %}) are also keyed by the generation; None: the same as TIMEOUT.
    "FRAGMENT_TIMEOUT": None,
    # None: a file beside the system's temp dir named after the database; "cache": in the CACHE itself.
    "GENERATION": None,
    "SKIP_PATHS": ("/admin/", "/documents/"),
    # Model labels whose saves and deletes readers can see (besides pages, always watched).
    "INVALIDATE_ON": (),
    # Model labels whose creation alone changes nothing readers see.
    "IGNORE_CREATED": (),
}


def config(name):
    return getattr(settings, "PAGE_CACHE", {}).get(name, DEFAULTS[name])


def enabled():
    return config("ENABLED")


# --- the content generation ------------------------------------------------------------------------


def generation_file():
    location = config("GENERATION")
    if location and location != "cache":
        return Path(location)
    from django.db import connection

    db = connection.settings_dict
    digest = hashlib.sha1(f"{db.get('HOST')}:{db.get('PORT')}:{db.get('NAME')}".encode()).hexdigest()[:16]  # noqa: S324
    return Path(tempfile.gettempdir()) / f"qingshan-content-generation-{digest}"


def current_generation():
    """The token of the current public content; changes whenever :func:`bump_generation` runs."""
    if config("GENERATION") == "cache":
        cache = caches[config("CACHE")]
        token = cache.get(GENERATION_KEY)
        if token is None:
            token = uuid.uuid4().hex
            cache.add(GENERATION_KEY, token, None)
            token = cache.get(GENERATION_KEY, token)
        return token
    path = generation_file()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        _write_generation_file(path)
        stat = os.stat(path)
    return f"{stat.st_ino:x}.{stat.st_mtime_ns:x}"


def _write_generation_file(path):
    # A new file replaces the old one, so the inode changes even if two bumps share a clock tick.
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(uuid.uuid4().hex)
    os.replace(temporary, path)


def bump_generation():
    if config("GENERATION") == "cache":
        caches[config("CACHE")].set(GENERATION_KEY, uuid.uuid4().hex, None)
    else:
        _write_generation_file(generation_file())
    _local.values = {}


# --- small per-process data caches, valid for one generation ------------------------------------------

_local = threading.local()


def per_generation(key, compute):
    """``compute()`` once per content generation and process (once per call when the cache is off)."""
    if not enabled():
        return compute()
    generation = current_generation()
    if getattr(_local, "generation", None) != generation:
        _local.generation = generation
        _local.values = {}
    if key not in _local.values:
        _local.values[key] = compute()
    return _local.values[key]


def restricted_paths():
    """Tree paths under which pages have view restrictions (including aliases of restricted pages)."""

    def compute():
        from wagtail.models import Page, PageViewRestriction

        paths = set(PageViewRestriction.objects.values_list("page__path", flat=True))
        restricted_ids = PageViewRestriction.objects.values("page_id")
        paths.update(Page.objects.filter(alias_of__in=restricted_ids).values_list("path", flat=True))
        return tuple(sorted(paths))

    return per_generation("restricted-paths", compute)


def is_restricted(page):
    return any(page.path.startswith(path) for path in restricted_paths())


class CachedViewRestrictionsMixin:
    """Answers Wagtail's per-request view-restriction check from :func:`restricted_paths`.

    A page outside every restricted subtree has no restrictions, so the check costs no query; any
    other page gets Wagtail's own answer.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if self.alias_of_id is None and self.path and not is_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
