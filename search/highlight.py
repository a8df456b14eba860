"""Result snippets for the search page: the part of a summary that mentions the query, terms marked."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text import cut_width

from .chinese import inner_words, query_terms

LEAD_IN = 24  # characters of context kept before the first match when the snippet starts mid-text


def highlight_terms(query):
    """The words to mark for a query: its terms and the inner words they also match by, longest first."""
    terms = set()
    for term in query_terms(query):
        terms.add(term)
        terms.update(inner_words(term))
    return sorted(terms, key=len, reverse=True)


def _pattern(terms):
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def mark(text, terms):
    """HTML of `text`, escaped, with every occurrence of the terms in <mark>."""
    pattern = _pattern(terms)
    text = str(text or "")
    if pattern is None:
        return escape(text)
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    # Adjacent terms (生态 修复) read as one highlighted phrase.
    return mark_safe("".join(parts).replace("</mark><mark>", ""))  # noqa: S308 -- every piece is escaped above


def snippet(text, terms, width=246, ellipsis="……"):
    """Up to `width` display columns of `text`, starting shortly before the first term when it is far in."""
    text = " ".join(str(text or "").split())
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    prefix = ""
    if match and match.start() > LEAD_IN * 2:
        text = text[match.start() - LEAD_IN :]
        prefix = ellipsis
    return mark(prefix + cut_width(text, width - (2 * len(prefix)), ellipsis), terms)
