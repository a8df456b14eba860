from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .context_processors import site_name


@requires_csrf_token
def server_error(request):
    """Django's 500 view, with the portal's name (Django renders 500.html without any context)."""
    return HttpResponseServerError(loader.get_template("500.html").render({"portal_name": site_name()}))
