"""Cache keys: what a cached page or fragment shows, and one version per key.

Keys name what a response shows (Fastly's surrogate keys, Varnish's xkey):

* ``page-<id>``: a page whose title, address, summary or image appears (the page itself, a list item, a
  related article, 上一篇/下一篇, the channel of a breadcrumb);
* ``list-<channel id>``: a channel's article list (its pages and its feed); ``home``: the home page's lists;
  ``all``: site-wide lists (site feed, sitemap, search); ``tag-<id>``: a tag's articles, as related news
  weighs them; ``related-<id>``: an article's own 相关新闻 and 上一篇/下一篇; ``promoted-<home id>``: the
  推荐位 of a site; ``nav``: the channel menu; ``settings``: the site settings.

Views, page models and template tags :func:`add` keys to the request as they build what they show; a
fragment records the keys added while it renders, and a fragment served from the cache adds its stored
keys to the page's. Each cached entry stores the version of each of its keys (and of the global content
generation, ``"*"``); it is served only while every version is unchanged. A change bumps the keys of what
it changes (pagecache/signals.py).

Versions live where the generation does: in the shared cache with Redis (one ``get_many`` per check), else
in a table of numbers in a file beside the generation file that every process maps in memory
(:class:`VersionTable`: every worker and cron job on the machine sees a bump at once). A render during
which anything was bumped is not stored (:func:`versions_for_store`), so rows read before a change was
committed never outlive it. In the shared cache a version expires (:func:`version_timeout`), so that it does
not keep a key for every article ever touched.
"""

import functools
import math
import mmap
import os
import random
import struct
import zlib
from contextlib import contextmanager

from django.core.cache import caches
from django.utils import timezone

from .generation import GENERATION_KEY, bump_generation, config, current_generation, generation_file, new_version

EVERYTHING = "*"
KEY_PREFIX = "qingshan:key:"
# Replaced by every bump, before the keys: a render that saw it change since it started is not stored.
LAST_CHANGE = "last-change"
LAST_CHANGE_KEY = "qingshan:last-change"
# ``until-<unix time>``: what shows something only until a moment (a 置顶 until its expiry). Nothing bumps
# these keys: the clock does, so what recorded one is stale from that moment on.
UNTIL = "until-"
PENDING, PASSED = "pending", "passed"
# Keys that the page furniture (header, footer, <head>) records on every page: a response with only these
# said nothing about its content, so it depends on every list (``all``).
AMBIENT = frozenset({"nav", "settings"})


# --- collecting what a request shows --------------------------------------------------------------------


def add(request, *keys):
    """Record that the response to ``request`` (and the fragment being rendered, if any) shows ``keys``."""
    if request is None or not keys:
        return
    shown = request.__dict__.setdefault("_pagecache_keys", set())
    shown.update(keys)
    for fragment in request.__dict__.get("_pagecache_fragments", ()):
        fragment.update(keys)


@contextmanager
def collecting(request):
    """The keys added while the block runs (a fragment's), which also reach the enclosing page."""
    shown = set()
    stack = request.__dict__.setdefault("_pagecache_fragments", [])
    stack.append(shown)
    try:
        yield shown
    finally:
        stack.remove(shown)


def of_response(request):
    """The keys of a whole response: what was added, and ``all`` if it said nothing about its content
    (a view that builds no keyed list, such as the sitemap or search, then follows every publish)."""
    shown = set(request.__dict__.get("_pagecache_keys", ()))
    if shown <= AMBIENT:
        shown.add("all")
    return shown


def lazy(request, compute, keys_of):
    """A context value computed once, when a template first reads it, whose keys are added at every read:
    each fragment that shows it records them, and a fragment kept in the cache skips ``compute``."""

    @functools.cache
    def once():
        value = compute()
        return value, tuple(keys_of(value))

    def read():
        value, shown = once()
        add(request, *shown)
        return value

    return read


def until(moment):
    """The key of what holds only until ``moment`` (an aware datetime), to :func:`add` with what shows it."""
    return f"{UNTIL}{math.floor(moment.timestamp())}"  # a second early rather than late


def seconds_left(shown):
    """Seconds until the earliest ``until-`` key of ``shown`` passes (0 if one has), None if there is none."""
    moments = [int(key.removeprefix(UNTIL)) for key in shown if key.startswith(UNTIL)]
    if not moments:
        return None
    return max(0, math.floor(min(moments) - timezone.now().timestamp()))


def _clock(keys):
    now = timezone.now().timestamp()
    return {key: PASSED if int(key.removeprefix(UNTIL)) <= now else PENDING for key in keys}


def page_keys(pages):
    """``page-<id>`` for each of ``pages`` (None and unsaved pages are skipped)."""
    return [f"page-{page.pk}" for page in pages if page is not None and page.pk is not None]


# --- versions -------------------------------------------------------------------------------------------


def _in_cache():
    return config("GENERATION") == "cache"


def version_timeout():
    """Seconds a key's version lives in the shared cache; None (for ever) when no entry's lifetime bounds it.

    A version that expires reads "0" again. An entry stored while its key had no version recorded "0", so
    it would be fresh again once a later bump of that key expired: a version must outlive every entry stored
    before it was set. Pages and fragments are stored with their own timeouts (not the cache alias's
    default), and a bump that makes an entry stale comes after that entry was stored, so a version kept as
    long as the longest of those timeouts outlives every entry stored under the value it replaced. With no
    finite lifetime (None), or none at all (0: nothing is stored), there is no bound: versions are kept.

    The bound alone does not cover each process's own data (pagecache.generation.per_generation), which has
    no lifetime, nor a version evicted early by Redis under memory pressure: for those, nothing is stored
    under a missing version in the first place (:func:`versions_for_store` creates it), so a version that
    disappears only makes stale what was stored under it.
    """
    page = config("TIMEOUT")
    fragment = config("FRAGMENT_TIMEOUT")
    lifetimes = [page, page if fragment is None else fragment]
    if None in lifetimes or max(lifetimes) <= 0:
        return None
    return max(lifetimes)


class VersionTable:
    """Versions shared by every process on the machine: a file of SLOTS 8-byte numbers, mapped in memory.

    A key's version is the number in its slot (crc32 of the key); a bump writes a new random number there.
    Reading a page's 30 keys is then 30 reads of shared memory, not 30 ``stat`` calls. Two keys may share
    a slot: a bump of one then also refreshes the entries of the other, which costs a render, never
    staleness.
    """

    SLOTS = 1 << 20  # 8 MB, sparse: only the memory pages of slots in use are ever touched

    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if os.fstat(descriptor).st_size < self.SLOTS * 8:
                os.ftruncate(descriptor, self.SLOTS * 8)
            self.memory = mmap.mmap(descriptor, self.SLOTS * 8)
        finally:
            os.close(descriptor)

    def read(self, keys):
        memory, mask, unpack = self.memory, self.SLOTS - 1, _SLOT.unpack_from
        return {key: unpack(memory, (zlib.crc32(key.encode()) & mask) * 8)[0] for key in keys}

    def bump(self, keys):
        for key in keys:
            offset = (zlib.crc32(key.encode()) & (self.SLOTS - 1)) * 8
            _SLOT.pack_into(self.memory, offset, random.getrandbits(64) | 1)


_SLOT = struct.Struct("=Q")
_tables = {}


def version_table():
    """This process's mapping of the machine's version table (a file beside the generation file)."""
    path = generation_file()
    table = _tables.get(path)
    if table is None:
        table = _tables[path] = VersionTable(path.with_name(path.name + ".keys"))
    return table


def versions(keys):
    """``{key: version}`` for ``keys`` and the global generation (``"*"``); an ``until-`` key's version is
    whether its moment has passed."""
    timed = [key for key in keys if key.startswith(UNTIL)]
    keys = [key for key in keys if key != EVERYTHING and not key.startswith(UNTIL)]
    if _in_cache():
        cache = caches[config("CACHE")]
        found = cache.get_many([GENERATION_KEY, *(KEY_PREFIX + key for key in keys)])
        result = {key: found.get(KEY_PREFIX + key, "0") for key in keys}
        result[EVERYTHING] = found.get(GENERATION_KEY) or current_generation()
    else:
        result = version_table().read(keys)
        result[EVERYTHING] = current_generation()
    result.update(_clock(timed))
    return result


def is_fresh(stored):
    """Whether an entry stored with ``stored`` versions may still be served."""
    return versions(stored) == stored


def render_started():
    """A token to pass to :func:`versions_for_store` after rendering: the version of the last change."""
    if _in_cache():
        return caches[config("CACHE")].get(LAST_CHANGE_KEY, "0")
    return version_table().read([LAST_CHANGE])[LAST_CHANGE]


def versions_for_store(keys, started):
    """The versions to store an entry under, or None if anything was bumped since :func:`render_started`
    returned ``started`` (the render may show rows read before that change was committed).

    :func:`bump` records the change before the keys' new versions, and the keys are read here before the
    change: if a version read here is new, so is the change read after it."""
    current = versions(keys)
    if PASSED in current.values():  # it showed what no longer holds
        return None
    if _in_cache() and not _create_missing(current):
        return None
    if render_started() != started:
        return None
    return current


def _create_missing(current):
    """Give each key of ``current`` that has no version in the shared cache a new one (in ``current`` too),
    so that no entry records "0" (see :func:`version_timeout`). False if one is missing still."""
    cache, timeout = caches[config("CACHE")], version_timeout()
    taken = []
    for key, version in current.items():
        if key == EVERYTHING or version != "0":
            continue
        created = new_version()
        if cache.add(KEY_PREFIX + key, created, timeout):
            current[key] = created
        else:  # another process created or bumped it meanwhile
            taken.append(key)
    if taken:
        found = cache.get_many([KEY_PREFIX + key for key in taken])
        current.update({key: found.get(KEY_PREFIX + key, "0") for key in taken})
    return "0" not in current.values()


def record_change():
    """Mark that something changed, for the renders in progress (see :func:`versions_for_store`)."""
    if _in_cache():
        caches[config("CACHE")].set(LAST_CHANGE_KEY, new_version(), None)
    else:
        version_table().bump([LAST_CHANGE])


def bump(keys):
    """New versions for ``keys`` (``"*"``: the global generation): every entry that recorded one of them is
    stale from now on."""
    keys = set(keys)
    if EVERYTHING in keys:
        keys.discard(EVERYTHING)
        bump_generation()  # records the change too
    else:
        record_change()
    if not keys:
        return
    if _in_cache():
        caches[config("CACHE")].set_many({KEY_PREFIX + key: new_version() for key in sorted(keys)}, version_timeout())
    else:
        version_table().bump(sorted(keys))
