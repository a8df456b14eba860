"""Plain text of an article body, the text whose characters findings point at.

One line per text block (a paragraph, a heading, a quotation, a caption…); inside rich text every
block-level element (paragraph, heading, list item, line break, table row) starts a new line, so an
imported HTML body and the same body after import read alike. Whitespace runs inside a line become one
space and empty lines are dropped: offsets stay stable however the HTML was indented.
"""

import html
import re

from django.utils.html import strip_tags

_BLOCK_BOUNDARY = re.compile(
    r"<\s*(?:br|/?(?:p|div|h[1-6]|li|ul|ol|blockquote|pre|tr|table|section|article|figure|figcaption|dt|dd|hr))\b[^>]*>",
    re.IGNORECASE,
)
_CELL_BOUNDARY = re.compile(r"<\s*/?\s*t[dh]\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _clean_line(line):
    return _SPACES.sub(" ", line).strip()


def html_lines(value):
    """The visible lines of an HTML fragment: tags removed, entities decoded, one line per block element."""
    value = _CELL_BOUNDARY.sub(" ", _BLOCK_BOUNDARY.sub("\n", str(value or "")))
    text = html.unescape(strip_tags(value))
    return [line for line in map(_clean_line, text.split("\n")) if line]


def _plain_lines(value):
    return [line for line in map(_clean_line, str(value or "").split("\n")) if line]


def _block_lines(block_type, value):
    """Lines of one StreamField block, by the shape of its value (types added later still give text)."""
    if block_type == "paragraph" or (isinstance(value, str) and "<" in value):
        return html_lines(value)
    if isinstance(value, str):
        return _plain_lines(value)
    if not isinstance(value, dict):
        return []
    if block_type == "table":
        table = value.get("table") or {}
        rows = table.get("data") or [] if isinstance(table, dict) else []
        lines = [" ".join(_clean_line(str(cell)) for cell in row if cell) for row in rows if isinstance(row, list)]
        return [line for line in lines if line] + _plain_lines(value.get("caption"))
    lines = []
    # Text-bearing sub-fields of the body's blocks, in reading order; ids and choices are not text.
    for name in ("text", "attribution", "caption", "credit", "title"):
        if isinstance(value.get(name), str):
            lines.extend(_plain_lines(value[name]))
    return lines


def body_text(raw_blocks):
    """A StreamField's raw JSON blocks (``page.body.raw_data``) as plain text, one line per text block."""
    lines = []
    for block in raw_blocks or []:
        if isinstance(block, dict):
            lines.extend(_block_lines(block.get("type"), block.get("value")))
    return "\n".join(lines)
