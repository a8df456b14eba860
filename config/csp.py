"""Content-Security-Policy with two scopes: a strict policy for the public site, a looser one for the admin.

The public templates load only the site's own stylesheet and images and run no script, so readers get
``script-src 'self'`` (no inline script, no eval): an injected ``<script>`` or ``onerror=`` cannot run even
if a template ever forgot to escape. Wagtail's admin still relies on inline scripts and styles, so pages
under ``/admin/`` get ``ADMIN_CONTENT_SECURITY_POLICY`` instead, which keeps ``object-src``, ``base-uri``,
``form-action`` and ``frame-ancestors`` tight but allows inline code there.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def is_admin_path(path):
    return path.startswith(getattr(settings, "ADMIN_CSP_URL_PREFIXES", ("/admin/",)))


class ScopedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``ADMIN_CONTENT_SECURITY_POLICY`` for the admin's URLs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        admin_policy = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
        # A preview is rendered through the middleware with the page's public path, for display inside
        # the admin's preview panel: it needs the admin's framing rules, not the public site's.
        in_admin = is_admin_path(request.path_info) or getattr(request, "is_preview", False)
        if not report_only and parts.config is None and admin_policy and in_admin:
            parts.config = default_config(admin_policy.get("DIRECTIVES", {}))
        return parts
