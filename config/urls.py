from django.conf import settings
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from articles.corrections import CorrectionsFeed, corrections_list
from articles.feeds import LatestArticlesFeed
from newsroom import chooser
from search import views as search_views

urlpatterns = [
    # Ahead of Wagtail's own route of the same name: the same view, with cells drawn without templates.
    path(
        "admin/choose-page/search/",
        never_cache(require_admin_access(chooser.SearchView.as_view())),
        name="wagtailadmin_choose_page_search",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("rss/", LatestArticlesFeed(), name="rss"),
    path("corrections/", corrections_list, name="corrections"),
    path("corrections/feed/", CorrectionsFeed(), name="corrections_feed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "home.views.server_error"
