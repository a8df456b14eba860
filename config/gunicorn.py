"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi`` (Procfile, benchmarks, deploy chain).

A new worker reads what every reader page shows (the page types, sites, channels, view restrictions, site
settings and 推荐位, kept per process: pagecache.generation.per_generation) by serving the home page once to
itself before it takes its first request, so that the first reader after a deploy or a worker restart does
not wait for it.
"""

import time
from wsgiref.util import setup_testing_defaults


def warm_up_host():
    """The default site's host name if Django accepts it, else the first ALLOWED_HOSTS name; None if none fits."""
    from django.conf import settings
    from django.http.request import validate_host

    from pagecache.sites import all_sites

    sites, _ = all_sites()  # kept: the warm-up's request needs them too
    allowed = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]  # Django's own when DEBUG
    names = [site.hostname for site in sites if site.is_default_site]
    names += [name.lstrip(".") for name in allowed if name != "*"]
    return next((name for name in names if name and validate_host(name, allowed)), None)


def warm_up(application):
    """GET / on the default site through ``application``, inside this process (no socket, no reader).

    Returns the HTTP status, or None when no host name fits ALLOWED_HOSTS."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import get_page_models

    # Every page served looks its type up by id (Page.specific_class): all of them in one query.
    ContentType.objects.get_for_models(*get_page_models())
    host = warm_up_host()
    if host is None:
        return None
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": host, "REMOTE_ADDR": "127.0.0.1"}
    if settings.SECURE_PROXY_SSL_HEADER:  # answered as the proxy's HTTPS requests are, not redirected
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    setup_testing_defaults(environ)
    status = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _ in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    return int(status[0].split()[0])


def post_worker_init(worker):
    started = time.perf_counter()
    try:
        status = warm_up(worker.wsgi)
    except Exception:  # a worker starts whatever happens here: its first reader then reads the data instead
        worker.log.exception("warm-up failed")
        return
    took = (time.perf_counter() - started) * 1000
    worker.log.info("warm-up: GET / answered %s in %.0f ms", status or "nothing (no allowed host)", took)
