from django import template

from ..fragments import cached_fragment

register = template.Library()


class FragmentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        vary_on = [expression.resolve(context) for expression in self.vary_on]
        return cached_fragment(context.get("request"), self.name, vary_on, lambda: self.nodelist.render(context))


@register.tag
def fragmentcache(parser, token):
    """``{% fragmentcache "name" var … %}…{% endfragmentcache %}``: the enclosed HTML, rendered once per
    content generation, host and values of the variables (see pagecache.fragments.cached_fragment).

    Django's ``{% cache %}`` and Wagtail's ``{% wagtailcache %}`` key by the variables alone, so a
    publish could not make their fragments stale, and they serve logged-in editors too."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragmentcache needs a fragment name")
    nodelist = parser.parse(("endfragmentcache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return FragmentCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
