"""审校 content checks: 敏感词, 错别字, 广告法 absolute terms, personal data, reprint provenance and punctuation.

Pure Python over plain text; ``check_article`` reads a page, ``check_fields`` any texts. Word lists are
compiled once (``WordList``) and passed in, so a caller decides how long they live.
"""

from .engine import check_article, check_fields
from .findings import Finding
from .rules.typos import shipped_typos
from .text import body_text
from .wordlist import WordList

__all__ = ["Finding", "WordList", "body_text", "check_article", "check_fields", "shipped_typos"]
