"""The global content generation ("everything changed"), and small data kept per process while its keys hold."""

import functools
import hashlib
import os
import tempfile
import threading
import uuid
from collections import OrderedDict
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
    # Entries per thread in the small per-process data caches (per_generation), least recently used first out.
    "LOCAL_ENTRIES": 500,
}


def config(name):
    return getattr(settings, "PAGE_CACHE", {}).get(name, DEFAULTS[name])


def enabled():
    return config("ENABLED")


# --- the content generation ------------------------------------------------------------------------


def generation_file():
    location = config("GENERATION")
    if location and location != "cache":
        return _path(location)
    from django.db import connection

    db = connection.settings_dict
    return _default_path(db.get("HOST"), db.get("PORT"), db.get("NAME"))


# Read on every request: the paths are made once per process.
@functools.lru_cache(maxsize=16)
def _path(location):
    return Path(location)


@functools.lru_cache(maxsize=16)
def _default_path(host, port, name):
    digest = hashlib.sha1(f"{host}:{port}:{name}".encode()).hexdigest()[:16]  # noqa: S324
    return Path(tempfile.gettempdir()) / f"qingshan-content-generation-{digest}"


def current_generation():
    """The token of the current public content; changes whenever :func:`bump_generation` runs."""
    if config("GENERATION") == "cache":
        cache = caches[config("CACHE")]
        token = cache.get(GENERATION_KEY)
        if token is None:
            token = new_version()
            cache.add(GENERATION_KEY, token, None)
            token = cache.get(GENERATION_KEY, token)
        return token
    path = generation_file()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        _write_generation_file(path)
        stat = os.stat(path)
    return f"{stat.st_mtime_ns:x}.{stat.st_ino:x}"


def new_version():
    return uuid.uuid4().hex


def _write_generation_file(path):
    # A new file replaces the old one, so the inode changes even if two bumps share a clock tick.
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(uuid.uuid4().hex)
    os.replace(temporary, path)


def bump_generation():
    from .keys import record_change

    record_change()
    if config("GENERATION") == "cache":
        caches[config("CACHE")].set(GENERATION_KEY, new_version(), None)
    else:
        _write_generation_file(generation_file())
    _local.values = OrderedDict()


# --- small per-process data caches, valid while their keys' versions are ----------------------------------

_local = threading.local()


def per_generation(name, compute, keys=(), keys_of=None):
    """``compute()`` kept per process until the content generation or a version of ``keys`` (and of
    ``keys_of(value)``, the keys of what the value shows) changes; once per call when the cache is off.

    At most ``PAGE_CACHE["LOCAL_ENTRIES"]`` values per thread, least recently used dropped first, so that
    names made from request data (a host name) cannot grow a worker."""
    from . import keys as cache_keys

    if not enabled():
        return compute()
    values = getattr(_local, "values", None)
    if values is None:
        values = _local.values = OrderedDict()
    entry = values.get(name)
    if entry is not None and cache_keys.is_fresh(entry[0]):
        values.move_to_end(name)
        return entry[1]
    started = cache_keys.render_started()
    value = compute()
    shown = {*keys, *(keys_of(value) if keys_of is not None else ())}
    stored = cache_keys.versions_for_store(shown, started)
    if stored is not None:
        values[name] = (stored, value)
        values.move_to_end(name)
        while len(values) > config("LOCAL_ENTRIES"):
            values.popitem(last=False)
    return value


def local_entries():
    """How many per-process data entries this thread holds (for tests of the bound)."""
    return len(getattr(_local, "values", ()))


def restricted_paths():
    """Tree paths under which pages have view restrictions (including aliases of restricted pages)."""

    def compute():
        from wagtail.models import Page, PageViewRestriction

        restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
        aliases = Page.objects.filter(alias_of__in=PageViewRestriction.objects.values("page_id"))
        return tuple(sorted(set((restricted | aliases).values_list("path", flat=True))))

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
