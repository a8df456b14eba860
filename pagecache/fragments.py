"""Fragments: parts of a page kept per content generation, for the readers the page cache serves."""

import hashlib

from django.core.cache import caches

from .generation import config, current_generation, enabled
from .middleware import PageCacheMiddleware, is_anonymous_reading

# --- fragments --------------------------------------------------------------------------------------


def cached_fragment(request, name, vary_on, render):
    """``render()``, kept per content generation for requests the page cache would serve.

    A page-cache miss (a new generation, a URL with a new query string such as WeChat's ``?from=…``, a
    page never read since the publish) then reuses what it can: the head, header and footer every page
    shares, and the content of articles, channel pages and the home page, are fragments. The key is the
    generation, the host, the fragment's name and ``vary_on``; editors, previews, sessions and POSTs
    always render afresh.
    """
    return per_reader_generation(request, f"fragment:{name}", vary_on, render)


def per_reader_generation(request, name, vary_on, compute):
    """``compute()`` kept in the page cache per content generation, host, ``name`` and ``vary_on``, for
    requests the page cache would serve; any other request computes afresh. ``None`` is kept too."""
    if not enabled() or request is None or not fragment_cacheable(request):
        return compute()
    raw = "|".join([current_generation(), request.get_host(), name, *(str(part) for part in vary_on)])
    key = "reader:" + hashlib.sha256(raw.encode()).hexdigest()
    cache = caches[config("CACHE")]
    entry = cache.get(key)
    if entry is None:
        entry = (compute(),)
        timeout = config("FRAGMENT_TIMEOUT")
        cache.set(key, entry, config("TIMEOUT") if timeout is None else timeout)
    return entry[0]


def fragment_cacheable(request):
    return PageCacheMiddleware.request_is_cacheable(request) and is_anonymous_reading(request)
