"""The page cache: fast anonymous reads, invalidated by key (what each page shows), not site-wide.

Design (see docs/performance.md):

* **Keys** (:mod:`pagecache.keys`). Every cached page and fragment records the keys of what it shows
  (``page-<id>``, ``list-<channel>``, ``home``, ``all``, ``related-<id>``, ``tag-<id>``, ``nav``,
  ``settings``…) and the version of each; it is served only while every version holds. A change bumps
  the keys of what it changes (:mod:`pagecache.signals`; a page class says which with
  ``changed_cache_keys``), once at the change and again after the transaction commits, so a publish
  leaves the long tail of unrelated articles cached. A global generation, ``*``, remains for changes
  without exact keys (sites, privacy, images, documents). Versions live in the shared cache when the
  caches are shared (``REDIS_URL``); with per-process locmem caches, in a table every process on the
  machine maps in memory.
* **Full-page cache** (:class:`PageCacheMiddleware`): GET requests without a session, messages or
  Authorization are answered from the ``pages`` cache; only 200 responses without cookies and without
  ``Cache-Control: private/no-cache/no-store`` are stored. Logged-in editors, previews (under /admin/),
  POSTs and password forms (they set the CSRF cookie) are never stored or served from it.
* **Fragments** (:func:`cached_fragment`, ``{% fragmentcache %}``): what a page-cache miss can reuse,
  checked by the same keys and for the same readers; a fragment served from the cache gives its keys to
  the page.
* **Edge cache.** Responses carry their keys in an ``xkey`` header; after commit a change sends one
  ``PURGE`` with ``xkey-purge: <keys>`` to Varnish (``deploy/varnish/default.vcl``), and the global
  generation's bump a PURGE that bans the whole host.
"""
