"""Fragments: parts of a page kept with the keys of what they show, for the readers the page cache serves."""

import hashlib

from django.core.cache import caches

from . import keys
from .generation import config, enabled
from .middleware import PageCacheMiddleware, is_anonymous_reading

# --- fragments --------------------------------------------------------------------------------------


def cached_fragment(request, name, vary_on, render):
    """``render()``, kept for requests the page cache would serve while the keys it recorded hold.

    A page-cache miss (a URL with a new query string such as WeChat's ``?from=…``, a page whose keys were
    bumped, a page never read) then reuses what it can: the head, header and footer every page shares, and
    the content of articles, channel pages and the home page, are fragments. The entry is found by the host,
    the fragment's name and ``vary_on``; it stores the keys added while it rendered, and adds them to the
    page's when it is served. Editors, previews, sessions and POSTs always render afresh.
    """
    return per_reader_generation(request, f"fragment:{name}", vary_on, render)


def per_reader_generation(request, name, vary_on, compute):
    """``compute()`` kept in the page cache per host, ``name`` and ``vary_on`` with the keys that
    ``compute`` added (pagecache.keys.add), for requests the page cache would serve; any other request
    computes afresh. ``None`` is kept too."""
    if not enabled() or request is None or not fragment_cacheable(request):
        return compute()
    raw = "|".join([request.get_host(), name, *(str(part) for part in vary_on)])
    key = "reader:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = caches[config("CACHE")]
    entry = cache.get(key)
    if entry is not None:
        value, stored = entry
        if keys.is_fresh(stored):
            keys.add(request, *(key for key in stored if key != keys.EVERYTHING))
            return value
    started = keys.render_started()
    with keys.collecting(request) as shown:
        value = compute()
    stored = keys.versions_for_store(shown, started)
    if stored is not None:
        timeout = config("FRAGMENT_TIMEOUT")
        cache.set(key, (value, stored), config("TIMEOUT") if timeout is None else timeout)
    return value


def fragment_cacheable(request):
    return PageCacheMiddleware.request_is_cacheable(request) and is_anonymous_reading(request)
