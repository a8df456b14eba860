"""RSS 2.0 feeds of the latest live articles, site-wide and per channel.

Each item has its title, link, guid, pubDate in Asia/Shanghai time, the outlet or reporter, the summary as
``<description>`` and the full article as ``<content:encoded>``.
"""

import re

from django.apps import apps
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from wagtail.models import Site

from pagecache import keys as cache_keys

from .corrections import notes_html, notes_text
from .models import ArticlePage
from .services import newest_across, public_channels

FEED_LENGTH = 20
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# src="/media/…" and href="/kepu/…" in the body: feed readers need absolute addresses.
ROOT_RELATIVE_URL = re.compile(r'(\s(?:src|href|srcset)=")/(?!/)')


# The portal's settings (site name) belong to the home app, which builds on this one: looked up by name.
SITE_SETTINGS = "home.SiteSettings"


def site_settings(request):
    return apps.get_model(SITE_SETTINGS).for_request(request)


class RssWithContentFeed(Rss201rev2Feed):
    """RSS 2.0 with the content module, for the full article text."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class LatestArticlesFeed(Feed):
    feed_type = RssWithContentFeed
    language = "zh-cn"

    def __init__(self, channel=None):
        super().__init__()
        self.channel = channel

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed's Last-Modified is its newest article's date, often months old, from which browsers
        # would guess a long freshness: a withdrawn article must leave readers' feeds within a minute.
        patch_cache_control(response, public=True, max_age=60)
        return response

    def get_object(self, request, *args, **kwargs):
        self.request = request
        self.site = Site.find_for_request(request)
        return self.channel

    def _site_name(self):
        return site_settings(self.request).site_name

    def title(self, channel):
        return f"{self._site_name()} - {channel.title}" if channel else self._site_name()

    def link(self, channel):
        if channel:
            return channel.get_url(request=self.request)
        return self.site.root_page.get_url(request=self.request) if self.site else "/"

    def description(self, channel):
        return site_settings(self.request).slogan

    def items(self, channel):
        articles = ArticlePage.objects.live_public().prefetch_related("tags", "corrections")
        # For the page cache: a channel's feed changes with its list, the site's with any article.
        cache_keys.add(self.request, *([f"list-{channel.pk}", f"page-{channel.pk}"] if channel else ["all"]))
        if channel is not None:
            return articles.in_channel(channel).newest_first()[:FEED_LENGTH]
        if self.site is None:
            return articles.newest_first()[:FEED_LENGTH]
        return newest_across(articles, public_channels(self.site.root_page), FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS readers take <description> as HTML: the summary is plain text, so it is escaped first. A
        # corrected article's 更正说明 come first, so a reader sees why the item changed.
        return escape(" ".join(filter(None, [notes_text(item), item.summary_text])))

    def item_link(self, item):
        return item.get_url(request=self.request)

    # The guid is the article's address (Django's default), marked as a permalink.
    item_guid_is_permalink = True

    def item_pubdate(self, item):
        # In the site's time zone, so the feed shows +0800 as readers in China expect.
        return timezone.localtime(item.display_date)

    def item_author_name(self, item):
        return item.source_name or item.byline or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {"content_encoded": self.full_content(item)}

    def full_content(self, item):
        html = "".join(str(block.render(context={"request": self.request, "page": item})) for block in item.body)
        html = ROOT_RELATIVE_URL.sub(lambda match: match.group(1) + self.request.build_absolute_uri("/"), html)
        return notes_html(item) + html
