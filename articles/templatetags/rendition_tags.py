"""Wagtail's ``{% image %}`` and ``{% picture %}``, each keeping the filters it parsed.

Wagtail's nodes build their ``Filter`` objects again at every render, and parsing a filter spec (looking up
the registered operations, checking their arguments) cost more than finding the rendition: a third of each
image tag on the reader pages. The filters depend on the template alone, so each node keeps its own.
"""

from django import template
from django.utils.functional import cached_property
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

register = template.Library()


class ImageNode(wagtail_tags.ImageNode):
    @cached_property
    def filter(self):
        return super().get_filter()

    def get_filter(self):
        return self.filter


class PictureNode(wagtail_tags.PictureNode):
    @cached_property
    def filters(self):
        return super().get_filters()

    def get_filters(self):
        return self.filters


KEEPING = {wagtail_tags.ImageNode: ImageNode, wagtail_tags.PictureNode: PictureNode}


@register.tag("image")
@register.tag("picture")
def image(parser, token):
    """Wagtail's tag, same syntax and output (see wagtail.images.templatetags.wagtailimages_tags.image)."""
    node = wagtail_tags.image(parser, token)
    node.__class__ = KEEPING.get(type(node), type(node))
    return node
