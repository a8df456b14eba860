from django import template

from articles.text import cut_width as cut_width_text

register = template.Library()


@register.filter
def cut_width(value, arg):
    """Cut text to a display width: ``{{ title|cut_width:50 }}`` or with an ending, ``"240,......"``."""
    width, _, ellipsis = str(arg).partition(",")
    return cut_width_text(value, int(width), ellipsis)


@register.simple_tag(takes_context=True)
def channels(context):
    """The channels shown in the navigation: live children of the site's home page marked for menus."""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)
    if request is not None and site is None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    if site is None:
        return []
    return site.root_page.get_children().live().in_menu().specific()


@register.simple_tag
def headline(article, width, channel=False, outlet=False):
    """An article's title cut to a display width, optionally as 【栏目】title or title(来源) before the cut."""
    text = article.title
    if channel and getattr(article, "channel", None) is not None:
        text = f"【{article.channel.title}】{text}"
    if outlet and article.source_name:
        text = f"{text}({article.source_name})"
    return cut_width_text(text, int(width))
