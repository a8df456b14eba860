"""Checks that rendered HTML or XML carries no markup injected from content: no script, no event handler."""

import json

from bs4 import BeautifulSoup

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "</title><iframe src=javascript:alert(1)>",
)
# One string carrying every payload, for fields that hold a single value.
COMBINED = "新闻" + "".join(PAYLOADS)
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def injected_markup(html, allow_inline_scripts=False):
    """What in the document could run code: returns a list of descriptions, empty when the page is clean.

    ``allow_inline_scripts`` is for the admin, whose own inline scripts are expected; a script that
    mentions ``alert(`` is still reported there.
    """
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            if name.lower().startswith("on") and (not allow_inline_scripts or "alert(" in str(value)):
                problems.append(f"<{element.name} {name}={value!r}>")
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower() in ("href", "src", "action", "formaction") and text.strip().lower().startswith(
                "javascript:"
            ):
                problems.append(f"<{element.name} {name}={value!r}>")
        if element.name in ("svg", "iframe") and "alert(" in str(element):
            problems.append(f"<{element.name}>")
        if element.name == "img" and element.get("src") == "x":
            problems.append("<img src=x>")
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").lower()
        code = script.string or ""
        if kind in DATA_SCRIPT_TYPES:
            try:
                json.loads(code)
            except ValueError:
                problems.append(f"data script that is not JSON (broken out of?): {code[:80]!r}")
            continue
        if "alert(" in code or not allow_inline_scripts and not script.get("src"):
            problems.append(f"<script>{code[:80]}</script>")
    return problems
