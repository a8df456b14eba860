"""Settings shared by every environment; what differs between machines is read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from config.client_address import parse_trusted_proxies

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "demo",
    "newsroom",
    "home",
    "articles",
    "search",
    "pagecache",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "newsroom.apps.NewsroomUsersConfig",  # wagtail.users with Chinese names (newsroom/users.py)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Anonymous GETs answered from the full-page cache before sessions, CSRF and the views.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.csp.ScopedCSPMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password is checked. AxesBackend (rather
# than AxesStandaloneBackend) also reads users and permissions like ModelBackend, for code that takes the
# first backend to log a user in, such as Wagtail's page test helpers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite file by default; DATABASE_URL=postgres://… selects PostgreSQL (psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a small newsroom's concurrent editing (autosave every few seconds per
    # editor, threaded servers): readers never wait for a writer (WAL); a transaction takes the write lock
    # when it begins (IMMEDIATE), so it waits its turn there rather than failing halfway through, inside a
    # savepoint; and a writer waits up to DJANGO_SQLITE_TIMEOUT seconds for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails the request in seconds instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3")
    )
    # The planner's cost of a random read on SSD storage (PostgreSQL's default of 4 assumes spinning
    # disks, and then reads a whole table rather than look up a thousand rows by their keys).
    DATABASES["default"]["OPTIONS"]["options"] = "-c random_page_cost=" + os.environ.get(
        "DJANGO_PG_RANDOM_PAGE_COST", "1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: per-process memory by default; REDIS_URL (redis://host:6379/0) shares them between workers and
# machines. "pages" holds whole pages for anonymous readers, "renditions" Wagtail's image renditions (never
# a database cache table). See docs/performance.md.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": alias}
        for alias in ("default", "pages", "renditions")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
    }
PAGE_CACHE = {
    "ENABLED": os.environ.get("DJANGO_PAGE_CACHE", "1") == "1",
    "CACHE": "pages",
    "TIMEOUT": int(os.environ.get("DJANGO_PAGE_CACHE_TIMEOUT", "600")),
    "FRAGMENT_TIMEOUT": int(os.environ.get("DJANGO_FRAGMENT_CACHE_TIMEOUT", "600")),
    # Where the content generation lives: in Redis when it is shared, else a file every local worker reads.
    "GENERATION": "cache" if REDIS_URL else os.environ.get("DJANGO_PAGE_CACHE_GENERATION_FILE") or None,
    "SKIP_PATHS": ("/admin/", "/documents/"),
    # Besides pages: what readers see of these models (pagecache/signals.py).
    "INVALIDATE_ON": (
        ("home.SiteSettings", ("settings",)),  # shown only where pages record "settings"
        "wagtailcore.Site",
        "wagtailcore.PageViewRestriction",
        "wagtailimages.Image",
        "wagtaildocs.Document",
    ),
    # A site's settings row is created with its defaults on the first read.
    "IGNORE_CREATED": ("home.SiteSettings",),
}
# Varnish in front (deploy/varnish/default.vcl): VARNISH_URL=http://127.0.0.1:6081 makes every content change
# purge it through Wagtail's frontend-cache backend.
VARNISH_URL = os.environ.get("VARNISH_URL", "")
if VARNISH_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": VARNISH_URL}
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Where collectstatic writes and the web server in front reads (deploy/nginx/qingshan.conf).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Complex page forms (body blocks, related pages, tags) exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "生态山西 <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Wagtail
WAGTAIL_SITE_NAME = "生态山西"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The admin speaks Chinese to the newsroom: no English release-notes banner or upgrade notice (which also
# calls wagtail.org); titles and the login read 生态山西采编系统 (templates/wagtailadmin/), and the
# project's translations fill what Wagtail's zh_Hans catalogue lacks (locale/zh_Hans/).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's database backend (SQLite FTS5 or PostgreSQL) with Chinese word segmentation; see docs/search.md
# for Elasticsearch/OpenSearch on large sites.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "txt", "csv", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Checks that a document's content matches its extension: a renamed executable is refused.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "articles.uploads.DocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Pages restricted to logged-in users send visitors to the newsroom login (readers have no accounts).
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

# Accounts with printed passwords are for a developer's machine only.
DEMO_ACCOUNTS_ALLOWED = False

# Newsroom workflow: an edit during review needs the review again; workflow email goes to the
# people involved (see newsroom/notifications.py), not to every superuser.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "newsroom.publishing.publish_approved_revision"

# Brute-force protection on the admin login (django-axes): after 5 failed logins for one user name from
# one address, that pair is refused for 15 minutes, even with the right password; a success resets the
# count. Locking the pair rather than the address alone keeps one mistyping colleague behind the
# newsroom's shared address from locking everyone out.
# Behind a reverse proxy every request comes from the proxy's address, and the pair would become the user
# name alone: anyone could lock an editor out. DJANGO_TRUSTED_PROXIES (a count of proxies, or their
# addresses/networks) lets the client's address be read from X-Forwarded-For; unset, the header is
# ignored, since any client can send it (config/client_address.py).
TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("DJANGO_TRUSTED_PROXIES"))
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/login_locked.html"  # says "15 分钟": keep it in step with the cool-off
AXES_COOLOFF_MESSAGE = "登录失败次数过多,账户已暂时锁定,请 15 分钟后再试。"
AXES_PERMALOCK_MESSAGE = "登录失败次数过多,账户已锁定,请联系管理员解锁。"

# Content-Security-Policy (django-csp; see config/csp.py). The public site runs no script of its own
# (JSON-LD is data, not script) and loads only its own files; embedded video players come in frames.
# Inline style attributes stay allowed for Wagtail's responsive embeds and the editors' userbar.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin uses inline scripts and styles, avatars from Gravatar and embed previews: a looser
# policy for it alone, which still forbids plugins, foreign <base> and form targets, and framing by
# other sites (the admin frames its own previews).
# Avatars are not fetched from Gravatar: no third-party request from the admin (and none blocked in China).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
ADMIN_CSP_URL_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "https:"],
        "frame-src": ["'self'", "https:"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
