"""Shared set-up for the performance tests: the production cache configuration, switched on."""

from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from pagecache import generation


def page_cache_on(**options):
    """Settings with the full-page cache and its per-process data caches on, as in production."""
    return override_settings(PAGE_CACHE={**settings.PAGE_CACHE, "ENABLED": True, **options})


def fresh_caches():
    """A new content generation and an empty page cache, so nothing from another test is served."""
    generation.bump_generation()
    caches["pages"].clear()
