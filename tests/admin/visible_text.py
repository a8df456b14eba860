"""What a person sees of an admin page: its text and the few attributes a browser shows or reads aloud."""

import json
import re
from html.parser import HTMLParser

# Never shown: code and styling. Everything else counts, including <template> and hidden parts (menus,
# dialogs and tooltips appear on a click).
SKIPPED = {"script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Attributes a browser shows (tooltips, placeholders, image text) or reads aloud.
SHOWN_ATTRIBUTES = {"aria-label", "aria-description", "aria-roledescription", "title", "placeholder", "alt"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Wagtail's Stimulus controllers show these attribute values as text (tooltips, dialogs, confirmations).
SHOWN_DATA_ATTRIBUTE = re.compile(r"^data-w-[a-z-]+-(content|label|message|text|confirm|title)-value$")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = []
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag in SKIPPED:
                self.skipping.append(tag)
            return
        attributes = dict(attrs)
        for name, value in attrs:
            if value and (name in SHOWN_ATTRIBUTES or SHOWN_DATA_ATTRIBUTE.match(name)):
                self.parts.append(value)
        if tag == "input" and (attributes.get("type") or "").lower() in BUTTON_INPUTS and attributes.get("value"):
            self.parts.append(attributes["value"])
        if tag in SKIPPED and tag not in VOID:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def visible_text(html):
    """The text a reader of this HTML sees or hears, one piece per line."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(" ".join(part.split()) for part in parser.parts)


def response_html(response):
    """The HTML of an admin response: the page itself, or the ``html`` of a modal's JSON answer."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.loads(response.content).get("html") or ""
    return response.content.decode(response.charset or "utf-8")
