"""Fast anonymous reads: a full-page cache invalidated by one site-wide content generation.

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

import copy
import hashlib
import logging
import os
import tempfile
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

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


def _find_site(hostname, port):
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    site.root_page = site.root_page.specific
    return site


def site_for_request(request):
    """The request's Wagtail site with its specific root page, from the per-generation cache."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    site = per_generation(f"site:{hostname}:{port}", lambda: _find_site(hostname, port))
    if site is None:
        return None
    site = copy.copy(site)
    site.root_page = copy.copy(site.root_page)
    return site


# --- the full-page cache ------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the ``pages`` cache, keyed by the content generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if not hasattr(request, "_wagtail_site"):
            site = site_for_request(request)
            if site is not None:
                request._wagtail_site = site
        if not self.request_is_cacheable(request):
            return self.get_response(request)

        cache = caches[config("CACHE")]
        raw = f"{current_generation()}|{request.get_host()}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        entry = cache.get(key)
        if entry is not None:
            status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if self.response_is_cacheable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() != "x-page-cache"]
            cache.set(key, (response.status_code, headers, response.content), config("TIMEOUT"))
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def request_is_cacheable(request):
        if request.method != "GET":
            return False
        if request.path_info.startswith(tuple(config("SKIP_PATHS"))):
            return False
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return False
        return "HTTP_AUTHORIZATION" not in request.META

    @staticmethod
    def response_is_cacheable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not is_anonymous_reading(request):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        return response.get("Vary", "").strip() != "*"


def is_anonymous_reading(request):
    """Neither a preview nor a logged-in user: what the page cache and the fragments may serve."""
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


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


# Saves that readers cannot see: Wagtail records an image's size and hash lazily while rendering, and
# creates a site's settings row with its defaults on the first read.
INVISIBLE_IMAGE_FIELDS = {"file_size", "file_hash"}


def _saved(sender, instance, created=False, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= INVISIBLE_IMAGE_FIELDS:
        return
    if created and sender._meta.label == "home.SiteSettings":
        return
    content_changed()


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        content_changed()


def connect_signals():
    """Connect :func:`content_changed` to every change a reader could see (called from ArticlesConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(content_changed, dispatch_uid="qingshan-cache-published")
    page_unpublished.connect(content_changed, dispatch_uid="qingshan-cache-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="qingshan-cache-moved")
    post_delete.connect(_page_deleted, dispatch_uid="qingshan-cache-page-deleted")
    for number, model in enumerate(
        [
            "home.SiteSettings",
            "wagtailcore.Site",
            "wagtailcore.PageViewRestriction",
            "wagtailimages.Image",
            "wagtaildocs.Document",
        ]
    ):
        post_save.connect(_saved, sender=model, dispatch_uid=f"qingshan-cache-saved-{number}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"qingshan-cache-deleted-{number}")
