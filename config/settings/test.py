"""Test settings: fast hashing, in-memory email, files in a temporary folder."""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="qingshan-test-media-")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
DEMO_ACCOUNTS_ALLOWED = True
# Django's test Client.login() authenticates without a request, which django-axes refuses; the
# brute-force tests (tests/security/test_login_protection.py) switch axes back on.
AXES_ENABLED = False
# The page cache and its per-generation data caches outlive a test's rolled-back transaction, so tests run
# without them; tests/performance turns them on where they are the subject.
# Its generation file is this run's own, so test runs side by side on one machine cannot invalidate each other.
PAGE_CACHE = {  # noqa: F405
    **PAGE_CACHE,  # noqa: F405
    "ENABLED": False,
    # With REDIS_URL the generation lives in Redis, as in production.
    "GENERATION": "cache"  # noqa: F405
    if REDIS_URL  # noqa: F405
    else str(Path(tempfile.mkdtemp(prefix="qingshan-test-generation-")) / "generation"),
}
if REDIS_URL:  # noqa: F405
    # One Redis database per alias (the URL's, then the next ones): a cache's clear() empties its whole
    # database, and tests that empty the page cache must keep the renditions, as locmem does.
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _first = int(_redis.path.strip("/") or 0)
    for _number, _alias in enumerate(CACHES):  # noqa: F405
        CACHES[_alias]["LOCATION"] = _redis._replace(path=f"/{_first + _number}").geturl()  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default in-memory test database: the live server's threads and the browser tests
    # then meet the same WAL journal and locking as `make run`. Each run has its own file.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.mkdtemp(prefix="qingshan-test-db-")) / "test.sqlite3")
    }
