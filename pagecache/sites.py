"""The Wagtail sites, their specific root pages and root paths: read in one query, kept per process.

Every reader request needs its site (``Site.find_for_request``) and the sites' root paths (each link's
``pageurl``). Wagtail reads the site per request with one query, the root page's specific fields with another
and the root paths with a third (kept in the shared cache). Here the sites are read once, with their root pages
(specific, joined) and locales, and matched to the request's host in Python as Wagtail matches them in SQL. The
entry is kept until a site (the global generation) or a root page (``page-<id>``: a new lead story) changes.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from .generation import per_generation
from .keys import page_keys


def _root_relations():
    """``select_related`` names reaching the page types a site's root can be (direct children of ``Page``)."""
    from wagtail.models import Page, get_page_models

    return tuple(
        f"root_page__{model._meta.parents[Page].remote_field.get_accessor_name()}"
        for model in get_page_models()
        if Page in model._meta.parents and Page in model.allowed_parent_page_models()
    )


def _specific(page, relations):
    for relation in relations:
        try:
            child = getattr(page, relation.removeprefix("root_page__"))
        except ObjectDoesNotExist:
            continue
        if type(child) is page.specific_class:
            child.locale = page.locale  # read with it
            return child
    return page.specific  # a root of another type: Wagtail's own query


def read_sites():
    """``(sites, root paths)``: every site with ``root_page`` specific, and ``Site.get_site_root_paths()``; one
    query when the roots are of the page types :func:`_root_relations` reaches."""
    from wagtail.models import Site
    from wagtail.models.sites import SiteRootPath

    relations = _root_relations()
    sites = list(Site.objects.select_related("root_page", "root_page__locale", *relations))
    for site in sites:
        root = site.root_page
        site.root_path = SiteRootPath(site.id, root.url_path, site.root_url, root.locale.language_code)
        site.root_page = _specific(root, relations)
    return sites, _root_paths(sites)


def all_sites():
    """:func:`read_sites`, kept per process until a site or a site's root page changes."""
    return per_generation("sites", read_sites, keys_of=lambda found: page_keys(site.root_page for site in found[0]))


def _root_paths(sites):
    """The longest root path first, then the default site's, then by host name (Wagtail's order)."""
    from wagtail.models import Site

    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):  # a root path per translation of each root page
        return Site.get_site_root_paths()
    ordered = sorted(sites, key=lambda site: site.hostname)
    ordered.sort(key=lambda site: (site.root_page.url_path, site.is_default_site), reverse=True)
    return [site.root_path for site in ordered]


# How well a site matches a host, best first, as wagtail.models.sites.get_site_for_hostname ranks them.
HOSTNAME_PORT, HOSTNAME_DEFAULT, DEFAULT, HOSTNAME = range(4)


def match_site(sites, hostname, port):
    """The site Wagtail's ``get_site_for_hostname(hostname, port)`` returns, chosen among ``sites``; None where
    it raises ``Site.DoesNotExist``."""
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = None

    def rank(site):
        if site.hostname == hostname and site.port == port:
            return HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return HOSTNAME_DEFAULT
        return DEFAULT if site.is_default_site else HOSTNAME

    candidates = sorted((site for site in sites if site.hostname == hostname or site.is_default_site), key=rank)
    if not candidates:
        return None
    if len(candidates) == 1 or rank(candidates[0]) in (HOSTNAME_PORT, HOSTNAME_DEFAULT):
        return candidates[0]
    if rank(candidates[0]) == DEFAULT:
        # The default site, unless exactly one site has the host's name (whatever its port).
        return candidates[len(candidates) == 2]
    return None
