"""Readable addresses for articles: pinyin words instead of percent-encoded Chinese.

汾河流域湿地保护取得新成效 becomes ``fenhe-liuyu-shidi-baohu-qude-xin-chengxiao``: one pinyin word per
Chinese word (the search segmenter's words), the way the demo's addresses are written.
"""

import re

from django.utils.text import slugify
from wagtail.models import Page

from articles.wordcount import HAN
from search.chinese import normalize, segmenter, words

# Long enough for the gist of a headline, short enough to read and share.
SLUG_MAX_LENGTH = 50
HAN_RE = re.compile(f"[{HAN}]")


def has_han(text):
    return bool(HAN_RE.search(text or ""))


def pinyin_slug(text, max_length=SLUG_MAX_LENGTH):
    """An ASCII slug from Chinese (and Latin) text: pinyin words joined by hyphens, cut at a word boundary."""
    from pypinyin import lazy_pinyin  # its dictionaries are large: loaded only when an article is saved

    parts = []
    for word in words(segmenter().cut(normalize(text))):
        # lazy_pinyin writes ü as v (绿 → lv), as the demo's addresses do; Latin words pass through.
        part = slugify("".join(lazy_pinyin(word)) if has_han(word) else word)
        if part:
            parts.append(part)
    slug = ""
    for part in parts:
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and parts:
        slug = parts[0][:max_length]
    return slug


def unique_slug(slug, parent, page=None):
    """`slug`, or `slug-2`, `slug-3`… when a sibling under `parent` already has it (as Wagtail numbers its own)."""
    candidate, number = slug, 1
    while not Page._slug_is_available(candidate, parent, page):
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
