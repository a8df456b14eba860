"""The portal's name, from its site settings, wherever a page or message carries it."""

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from pagecache.generation import per_generation

# The last name read, for the pages that render while the database cannot answer (500, 503).
_last_read = {}


def site_name(request=None, site=None):
    """站点设置's 网站名称 for the request's (or the given, or the default) site.

    Falls back to the last name read in this process, then to WAGTAIL_SITE_NAME, when the database fails.
    """
    from .models import SiteSettings

    try:
        if site is None:
            site = Site.find_for_request(request) if request is not None else Site.objects.get(is_default_site=True)
        if site is None:
            return last_site_name()
        # Every admin page shows it: read once per process until the settings change.
        name = per_generation(
            f"site-name:{site.pk}", lambda: SiteSettings.for_site(site).site_name, keys=("settings",)
        )
    except (DatabaseError, Site.DoesNotExist):
        return last_site_name()
    _last_read["name"] = name
    return name


def last_site_name():
    """The name last read in this process (WAGTAIL_SITE_NAME before any), without asking the database."""
    return _last_read.get("name", settings.WAGTAIL_SITE_NAME)


def portal(request):
    """``portal_name`` for every template (the admin's title, error pages), read only when one uses it."""
    return {"portal_name": SimpleLazyObject(lambda: site_name(request))}
