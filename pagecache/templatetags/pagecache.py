from django import template

from .. import keys as cache_keys
from ..fragments import cached_fragment

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on, shows):
        self.nodelist, self.name, self.vary_on, self.shows = nodelist, name, vary_on, shows

    def render(self, context):
        vary_on = [expression.resolve(context) for expression in self.vary_on]
        request = context.get("request")

        def render():
            if self.shows is not None:
                cache_keys.add(request, *str(self.shows.resolve(context)).split())
            return self.nodelist.render(context)

        return cached_fragment(request, self.name, vary_on, render)


@register.tag
def fragmentcache(parser, token):
    """``{% fragmentcache "name" var … [keys="settings …"] %}…{% endfragmentcache %}``: the enclosed HTML,
    kept per host and values of the variables until one of the cache keys it recorded changes (see
    pagecache.fragments.cached_fragment). The page models and template tags that build its lists record
    their keys; ``keys=`` names what the template itself shows, such as the site ``settings`` (read through
    a context processor that reads them once per request).

    Django's ``{% cache %}`` and Wagtail's ``{% wagtailcache %}`` key by the variables alone, so a
    publish could not make their fragments stale, and they serve logged-in editors too."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragmentcache needs a fragment name")
    nodelist = parser.parse(("endfragmentcache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    shows = None
    vary_on = []
    for bit in bits[2:]:
        if bit.startswith("keys="):
            shows = parser.compile_filter(bit.removeprefix("keys="))
        else:
            vary_on.append(parser.compile_filter(bit))
    return FragmentCacheNode(nodelist, name, vary_on, shows)
