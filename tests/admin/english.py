"""Finding English left in the Chinese admin: the words a person reads, less the few that stay in Latin letters."""

import re

from django.conf import settings

# Keys are named as they are printed on the keyboard.
KEYBOARD_KEYS = {"Ctrl", "Alt", "Shift", "Esc", "Cmd", "Enter", "Tab", "Option"}
# Names a Chinese newsroom writes in Latin letters: technologies, and "PM" as in PM2.5.
NAMES = {"JavaScript", "RSS", "URL", "HTML", "SEO", "ICP", "PM"}
UNITS = {"KB", "MB", "GB", "px"}
FILE_TYPES = {
    name
    for extension in settings.WAGTAILDOCS_EXTENSIONS + settings.WAGTAILIMAGES_EXTENSIONS
    for name in (extension, extension.upper())
}
ALLOWED = KEYBOARD_KEYS | NAMES | UNITS | FILE_TYPES

# Not words at all: web addresses, email addresses and example page slugs such as fenhe-shidi-baohu.
NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text, data_words=()):
    """{word: the line it was read in} for each English word in the text that is neither allowed nor data.

    ``data_words`` are what people typed rather than what the software says, such as account names.
    """
    allowed = ALLOWED | set(data_words)
    found = {}
    for line in text.splitlines():
        for word in WORD.findall(NOT_WORDS.sub(" ", line)):
            if word not in allowed:
                found.setdefault(word, line.strip())
    return found


def describe(problems):
    """A failure message naming each page and the English words on it, with where each was read."""
    lines = []
    for where, words in problems.items():
        lines.append(f"{where} shows English:")
        lines.extend(f"    {word!r} in {context[:160]!r}" for word, context in words.items())
    return "\n".join(lines)
