"""Settings for `make bench`: production settings (DEBUG off, WhiteNoise, gunicorn) on a throw-away database,
plus the benchmark's "floor" view. Never used to serve the real site."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-any-real-site")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from config.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = BASE_DIR / "bench" / "out" / "static"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "bench" / "out" / "media"  # noqa: F405
# Plain HTTP on loopback: cookies must not require HTTPS, and HSTS would only confuse a browser.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
DEMO_ACCOUNTS_ALLOWED = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# The floor view is the benchmark's yardstick: never answered from the page cache.
PAGE_CACHE = {**PAGE_CACHE, "SKIP_PATHS": (*PAGE_CACHE["SKIP_PATHS"], "/bench-floor/")}  # noqa: F405
