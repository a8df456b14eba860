"""RSS 2.0 feeds of the latest live articles, site-wide and per channel."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Site

from .services import public_articles

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, channel=None):
        super().__init__()
        self.channel = channel

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        return self.channel

    def _site_name(self):
        from home.models import SiteSettings

        return SiteSettings.for_request(self.request).site_name

    def title(self, channel):
        return f"{self._site_name()} - {channel.title}" if channel else self._site_name()

    def link(self, channel):
        if channel:
            return channel.get_url(request=self.request)
        return self.site.root_page.get_url(request=self.request) if self.site else "/"

    def description(self, channel):
        from home.models import SiteSettings

        return SiteSettings.for_request(self.request).slogan

    def items(self, channel):
        articles = public_articles()
        if channel is not None:
            articles = articles.child_of(channel)
        elif self.site is not None:
            articles = articles.descendant_of(self.site.root_page)
        return articles.order_by("-date", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary_text

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.display_date

    def item_author_name(self, item):
        return item.source_name or item.byline or None
