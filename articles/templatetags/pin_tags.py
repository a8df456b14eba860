"""The 置顶 mark on a pinned list item."""

from django import template
from django.utils.html import format_html

from ..pins import shown_until

register = template.Library()


@register.simple_tag(takes_context=True)
def pin_mark(context, article):
    """``{% pin_mark article %}``: 置顶, as text, before an item the list shows pinned; the page (or fragment)
    showing it then records the pin's expiry, so it is not served from a cache once the pin has expired."""
    if not getattr(article, "pinned", False):
        return ""
    shown_until(context.get("request"), article)
    return format_html('<span class="pin-mark">{}</span> ', "置顶")
