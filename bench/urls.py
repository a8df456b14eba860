"""The site's URLs plus /bench-floor/: a fixed HTML string of an article's size, through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

FLOOR_BYTES = 20_000


def floor(request):
    size = min(int(request.GET.get("bytes", FLOOR_BYTES)), 1_000_000)
    return HttpResponse("<!DOCTYPE html><html><body>" + "绿" * (max(size - 41, 0) // 3) + "</body></html>")


urlpatterns = [path("bench-floor/", floor, name="bench-floor"), *site_urlpatterns]
