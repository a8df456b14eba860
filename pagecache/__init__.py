"""The page cache: fast anonymous reads, a full-page cache invalidated by one site-wide content generation.

Design (see docs/performance.md):

* **Content generation.** One token says "the public content as of now". Any change a reader could see
  (publish, unpublish, delete, move, privacy, site settings, sites, images, documents) bumps it, once at
  the change and again after the transaction commits. Every cached page, and the small per-process data
  caches below, are keyed by it, so one publish invalidates everything at once: nothing has to know which
  pages list which article (home, channels, related lists, 上一篇/下一篇, feeds, sitemap, search).
  The token lives in the shared cache when the caches are shared (``REDIS_URL``); with per-process
  locmem caches it is a small file whose inode and mtime are read with one ``stat`` per request, so
  every worker on the machine sees a publish at once.
* **Full-page cache** (:class:`PageCacheMiddleware`): GET requests without a session, messages or
  Authorization are answered from the ``pages`` cache; only 200 responses without cookies and without
  ``Cache-Control: private/no-cache/no-store`` are stored. Logged-in editors, previews (under /admin/),
  POSTs and password forms (they set the CSRF cookie) are never stored or served from it.
* **Fragments** (:func:`cached_fragment`, ``{% fragmentcache %}``): what a page-cache miss can reuse,
  kept under the same generation and for the same readers.
* **Edge cache.** The same bump sends one PURGE of the site's home URL through Wagtail's frontend-cache
  backends; ``deploy/varnish/default.vcl`` turns any PURGE into a ban of the whole host.
"""
