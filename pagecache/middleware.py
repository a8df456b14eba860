"""The full-page cache: anonymous GETs of public pages answered from the ``pages`` cache."""

import copy
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import keys
from .generation import config, enabled
from .sites import all_sites, match_site


def site_for_request(request):
    """The request's Wagtail site with its specific root page, from the per-process sites; the sites' root paths
    are kept on the request for Wagtail's ``pageurl`` (``Page._get_site_root_paths``).

    Only for a host Django accepts (ALLOWED_HOSTS); nothing is kept per host name."""
    from django.http.request import split_domain_port

    try:
        hostname = split_domain_port(request.get_host())[0]
    except DisallowedHost:
        return None
    sites, root_paths = all_sites()
    request._wagtail_cached_site_root_paths = root_paths
    site = match_site(sites, hostname, request.get_port())
    if site is None:
        return None
    # Each request gets its own copies (Wagtail and the templates may set attributes on them).
    site = copy.copy(site)
    site.root_page = copy.copy(site.root_page)
    return site


def _host_allowed(request):
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


# --- the full-page cache ------------------------------------------------------------------------------

# Answers the edge keeps for a few seconds (deploy/varnish/default.vcl) that any publish may change.
EDGE_CACHED_ERRORS = (301, 302, 404, 410)


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the ``pages`` cache while the versions of their keys hold.

    Every cacheable response carries its keys in an ``xkey`` header, for Varnish (deploy/varnish/default.vcl
    purges by them and removes the header before readers see it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A host Django refuses is left to Django (400) before anything is looked up or kept for it.
        if not enabled() or not _host_allowed(request):
            return self.get_response(request)
        if not hasattr(request, "_wagtail_site"):
            site = site_for_request(request)
            if site is not None:
                request._wagtail_site = site
        if not self.request_is_cacheable(request):
            return self.get_response(request)

        cache = caches[config("CACHE")]
        raw = f"{request.get_host()}|{request.get_full_path()}"
        key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
        entry = cache.get(key)
        if entry is not None:
            status, headers, content, stored = entry
            if keys.is_fresh(stored):
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                left = keys.seconds_left(stored)
                if left is not None:
                    patch_cache_control(response, s_maxage=left)
                return response

        started = keys.render_started()
        response = self.get_response(request)
        if self.response_is_cacheable(request, response):
            shown = keys.of_response(request)
            response["xkey"] = " ".join(sorted(key for key in shown if not key.startswith(keys.UNTIL)))
            left = keys.seconds_left(shown)
            if left is not None:  # it shows something until then (a 置顶): the edge keeps it no longer
                patch_cache_control(response, s_maxage=left)
            stored = keys.versions_for_store(shown, started)
            if stored is not None:
                headers = [(name, value) for name, value in response.items() if name.lower() != "x-page-cache"]
                cache.set(key, (response.status_code, headers, response.content, stored), config("TIMEOUT"))
            response["X-Page-Cache"] = "miss"
        elif response.status_code in EDGE_CACHED_ERRORS and is_anonymous_reading(request):
            # Varnish keeps these briefly; a publish may turn a 404 into the new article.
            response["xkey"] = "all"
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
