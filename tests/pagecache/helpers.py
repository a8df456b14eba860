"""Shared set-up for the performance tests: the production cache configuration, switched on."""

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from config import gunicorn
from pagecache import generation


def page_cache_on(**options):
    """Settings with the full-page cache and its per-process data caches on, as in production."""
    return override_settings(PAGE_CACHE={**settings.PAGE_CACHE, "ENABLED": True, **options})


def fresh_caches():
    """A new content generation and an empty page cache, so nothing from another test is served."""
    generation.bump_generation()
    caches["pages"].clear()


def warm_up_worker():
    """What a new gunicorn worker does before its first request (config/gunicorn.py); returns its status.

    As Django's test client does, the request leaves the database connection open: the test's transaction
    must outlive it."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        return gunicorn.warm_up(WSGIHandler())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
