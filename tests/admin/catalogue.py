"""Reading gettext catalogues without GNU gettext: a .po file's entries, and the .mo compiled from it."""

import ast
import gettext
import re
from dataclasses import dataclass, field

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|%[sdf]|\{\w*\}")


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)  # plural index (0 when singular) -> translation
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self):
        """The key Python's gettext uses for this entry in a compiled catalogue."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path):
    """The entries of a .po file, header (msgid "") included, in file order."""
    entries, entry, current, flags = [], None, None, ""

    def finish():
        if entry is not None:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("#,")):
            continue
        if line.startswith("#,"):
            flags += line
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        value = ast.literal_eval(rest) if rest.startswith('"') else ""
        if keyword in ("msgctxt", "msgid") and (keyword == "msgctxt" or current != "msgctxt"):
            finish()
            entry = Entry(msgid="", fuzzy="fuzzy" in flags, line=number)
            flags = ""
        if keyword == "msgctxt":
            entry.msgctxt, current = value, "msgctxt"
        elif keyword == "msgid":
            entry.msgid, current = value, "msgid"
        elif keyword == "msgid_plural":
            entry.msgid_plural, current = value, "msgid_plural"
        elif keyword and keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index], current = value, ("msgstr", index)
        elif keyword is None:  # a continuation line adds to what came before it
            if current == "msgctxt":
                entry.msgctxt += value
            elif current == "msgid":
                entry.msgid += value
            elif current == "msgid_plural":
                entry.msgid_plural += value
            else:
                entry.msgstr[current[1]] += value
    finish()
    return entries


def read_mo(path):
    """The compiled catalogue as Python's gettext reads it: {key: translation or (key, n): plural form}."""
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


def expected_catalogue(entries):
    """What compiling these entries must give, in read_mo's shape (fuzzy and empty entries are left out)."""
    catalogue = {}
    for entry in entries:
        if entry.fuzzy or not all(entry.msgstr.values()):
            continue
        if entry.msgid_plural is None:
            catalogue[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalogue[(entry.key, index)] = text
    return catalogue


def placeholders(text):
    """The placeholders a translation must keep, such as %(count)s or {title}."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))
