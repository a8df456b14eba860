"""Fail fast and clearly while the database is unreachable, instead of a generic server error."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string

from home.context_processors import last_site_name

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when a view fails because the database cannot be reached.

    Persistent connections are health-checked at the start of each request (CONN_HEALTH_CHECKS),
    so the site reconnects by itself once the database is back: no gunicorn restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        try:
            # A SQL mistake also raises OperationalError on some backends: only a lost server is a 503.
            connection.close()
            connection.ensure_connection()
            return None
        except DatabaseError:
            logger.error("Database unavailable, answering 503: %s", exception)
        response = HttpResponse(render_to_string("503.html", {"portal_name": last_site_name()}), status=503)
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
