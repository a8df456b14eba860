import copy
import functools
import re

from django.core.validators import EmailValidator, URLValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site

from articles import renditions
from pagecache import keys as cache_keys
from pagecache.generation import CachedViewRestrictionsMixin, per_generation


class HomePage(CachedViewRestrictionsMixin, Page):
    """The portal's front page: a lead story, the latest news of each channel, and promoted items."""

    lead_story = models.ForeignKey(
        "articles.ArticlePage",
        verbose_name="头条",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="留空时使用最新发布的文章。",
    )
    intro = RichTextField("导语", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("lead_story"),
        FieldPanel("intro"),
        InlinePanel(
            "promoted_items",
            label="推荐位",
            help_text="显示在首页和每篇文章下方;留空时取各栏目最新的带图文章。",
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["articles.ChannelIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def route(self, request, path_components):
        # Channels come from the per-generation channel cache: no query to find one (Wagtail's takes two).
        from articles.services import channel_by_slug

        if path_components:
            channel = channel_by_slug(self, path_components[0])
            if channel is not None:
                channel = copy.copy(channel)
                channel._cached_parent_obj = self
                return channel.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from articles.services import channel_latest, home_lead_story, promoted_articles, promoted_keys

        context = super().get_context(request, *args, **kwargs)
        cache_keys.add(request, f"page-{self.pk}")
        # Read only when the template renders them: a cached fragment of the home page skips the queries, and
        # records their keys (every publish bumps "home").
        lead = functools.cache(lambda: home_lead_story(self))
        context["lead_story"] = cache_keys.lazy(request, lead, lambda story: ["home", *cache_keys.page_keys([story])])
        context["channel_blocks"] = cache_keys.lazy(
            request,
            lambda: channel_latest(self, exclude=lead(), per_channel=6),
            lambda blocks: ["home", *cache_keys.page_keys(channel for channel, articles in blocks)],
        )
        context["promoted"] = cache_keys.lazy(
            request,
            lambda: promoted_articles(self, preview=getattr(request, "is_preview", False)),
            lambda items: promoted_keys(self, items),
        )

        @functools.cache
        def prefetch_renditions():
            # The lead story's and the 推荐位's renditions from one read of the renditions cache, as the
            # article page does (articles.renditions.prefetch_renditions), instead of one per image tag.
            wanted = {}
            story = lead()
            if story is not None and story.cover_image is not None:
                wanted[story.cover_image] = [renditions.LEAD_STORY]
            for item in context["promoted"]():
                if item.cover_image is not None:
                    wanted.setdefault(item.cover_image, []).append(renditions.PROMOTED)
            renditions.prefetch_renditions(wanted)
            return ""

        context["prefetch_renditions"] = prefetch_renditions
        return context

    def changed_cache_keys(self, before=None, deleted=False, parent=None):
        # The home page holds the lead story and the 推荐位 (shown beside every article) and roots the site.
        if deleted or parent is not None:
            return {"*"}
        return {f"page-{self.pk}", "home", f"promoted-{self.pk}", "all"}


class HomePromotedItem(Orderable):
    """One editor-chosen promoted article (推荐位) shown with its cover image."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="promoted_items")
    article = models.ForeignKey(
        "articles.ArticlePage", verbose_name="文章", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = "推荐位"
        verbose_name_plural = "推荐位"


# The public query page of the national 互联网安全管理服务平台 for a 公安机关备案号 (its digits).
POLICE_RECORD_QUERY_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"


def validate_contact_link(value):
    """A 联系我们/纠错 link: a web address, an address on this site (/…) or mailto: with an email address."""
    if value.startswith("mailto:"):
        EmailValidator(message="请填写有效的邮箱地址,如 mailto:jiucuo@example.cn。")(value.removeprefix("mailto:"))
    elif value.startswith("/") and not value.startswith("//"):
        return
    else:
        URLValidator(
            schemes=["http", "https"], message="请填写以 https:// 开头的网址、以 / 开头的站内地址或 mailto: 邮箱。"
        )(value)


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Site-wide text of the portal's header and footer, editable in the admin."""

    site_name = models.CharField("网站名称", max_length=100, default="生态山西")
    slogan = models.CharField("口号", max_length=200, blank=True, default="美丽中国,我们是行动者!")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="标志",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_text = models.TextField("页脚文字", blank=True)
    icp_number = models.CharField("ICP备案号", max_length=100, blank=True)
    site_identifier = models.CharField(
        "网站标识码",
        max_length=20,
        blank=True,
        help_text="政府网站的网站标识码(如 1400000001),填写后显示在页脚。",
    )
    police_record_number = models.CharField(
        "公安机关备案号",
        max_length=100,
        blank=True,
        help_text="如“晋公网安备 14010502000123号”,填写后显示在页脚。",
    )
    police_record_url = models.URLField(
        "公安机关备案链接",
        blank=True,
        help_text="留空时按备案号中的数字链接到全国互联网安全管理服务平台的查询页。",
    )
    government_mark_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="党政机关标识",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="党政机关网站标识图片(由机构编制部门颁发,一般为红色徽标);留空不显示。",
    )
    government_mark_url = models.URLField(
        "党政机关标识链接",
        blank=True,
        help_text="点击标识打开的核验页面,如 https://bszs.conac.cn/sitename?method=show&id=…",
    )
    contact_url = models.CharField(
        "联系我们/纠错链接",
        max_length=255,
        blank=True,
        validators=[validate_contact_link],
        help_text="读者联系本站或报告错误的地址:网址、站内地址(如 /contact/)或 mailto:邮箱。",
    )
    weibo_url = models.URLField("微博主页", blank=True)
    qzone_url = models.URLField("QQ空间主页", blank=True)

    select_related = ["logo", "government_mark_image"]

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("slogan"), FieldPanel("logo")], heading="页头"),
        MultiFieldPanel([FieldPanel("footer_text"), FieldPanel("contact_url")], heading="页脚"),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldPanel("site_identifier"),
                FieldPanel("police_record_number"),
                FieldPanel("police_record_url"),
                FieldPanel("government_mark_image"),
                FieldPanel("government_mark_url"),
            ],
            heading="备案与标识",
            help_text="均可留空;只显示已填写的项。",
        ),
        MultiFieldPanel([FieldPanel("weibo_url"), FieldPanel("qzone_url")], heading="关注我们"),
    ]

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"

    def __str__(self):
        return self.site_name

    @property
    def police_record_link(self):
        """Where the 公安机关备案号 links: the address given, else the national platform's query for its digits."""
        if self.police_record_url:
            return self.police_record_url
        code = "".join(re.findall(r"\d", self.police_record_number))
        return POLICE_RECORD_QUERY_URL.format(code=code) if code else ""

    @classmethod
    def for_request(cls, request):
        # Whatever shows the settings (header, footer, titles, feeds) records it for the page cache.
        cache_keys.add(request, "settings")
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            site = Site.find_for_request(request)
            # Every page shows them: read once per process until they change; each request gets its own copy
            # (Wagtail keeps the request on it).
            kept = per_generation(
                f"site-settings:{site.pk if site else None}", lambda: cls.for_site(site), keys=("settings",)
            )
            site_settings = copy.copy(kept)
            site_settings._request = request
            setattr(request, attr_name, site_settings)
        return getattr(request, attr_name)
