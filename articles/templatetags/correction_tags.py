from django import template

from articles.corrections import corrections_of

register = template.Library()


@register.simple_tag
def article_corrections(article):
    """The article's 更正说明, newest first."""
    return corrections_of(article)
