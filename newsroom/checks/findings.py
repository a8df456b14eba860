"""What a check reports: one ``Finding`` per problem, pointing at characters of one field's plain text."""

from typing import NamedTuple

RULES = ("sensitive", "typo", "ad_law", "personal_data", "provenance", "punctuation")
LEVELS = ("block", "warn")
# Where fields sort when a caller's ``fields`` does not say: the order an editor reads the article in.
FIELD_ORDER = ("title", "subtitle", "summary", "body", "source_name", "original_title", "original_author")


class Finding(NamedTuple):
    """One problem: ``start``/``end`` are character offsets into the plain text of ``field``.

    A tuple, not a dataclass: a long article against a big list makes thousands of these per check,
    and a tuple is built several times faster than a frozen dataclass.
    """

    rule: str
    level: str
    field: str
    start: int
    end: int
    text: str
    reason: str
    suggestion: str = ""

    def as_dict(self):
        return self._asdict()
