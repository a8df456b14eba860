"""字数 as a Chinese newsroom counts it: each Chinese character is one, a run of Latin letters or digits is one.

The rule is WORD_PATTERN alone: the editor's counter (articles/static/articles/word_count.js) receives
the same pattern from edit_panels.WordCountPanel, so the number a reporter sees live is the one counted here.
"""

import html
import re

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
LATIN = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# A Chinese character; or letters and digits, kept whole across an inner point, apostrophe or hyphen
# (PM2.5, don't, COP27-related are one word each).
WORD_PATTERN = f"[{HAN}]|[{LATIN}]+(?:[.'’-][{LATIN}]+)*"
WORD_RE = re.compile(WORD_PATTERN)
RULE = "汉字每字计1,连续的英文字母或数字(如 PM2.5)计1,标点和空格不计"
COUNTED = "标题、摘要和正文(段落、小标题、引文、图片和表格说明)"

# Block-level tags and line breaks separate words; inline tags (<b>, <a>) do not.
BLOCK_TAG_RE = re.compile(r"</?(?:p|br|li|ul|ol|h[1-6]|blockquote|div|tr|td|th)\b[^>]*>", re.IGNORECASE)
TAG_RE = re.compile(r"<[^>]*>")
# The body blocks' reader-visible text: (block type, field of its value or None for the value itself).
COUNTED_BLOCK_FIELDS = {
    "paragraph": None,
    "heading": "text",
    "quote": "text",
    "image": "caption",
    "media": "caption",
    "table": "caption",
}


def count_words(text):
    """字数 of plain text."""
    return len(WORD_RE.findall(text or ""))


def html_text(value):
    return html.unescape(TAG_RE.sub("", BLOCK_TAG_RE.sub(" ", str(value or ""))))


def body_texts(raw_blocks):
    """The counted text of each body block, from the StreamField's raw JSON blocks."""
    for block in raw_blocks or []:
        if block.get("type") not in COUNTED_BLOCK_FIELDS:
            continue
        field = COUNTED_BLOCK_FIELDS[block["type"]]
        value = block.get("value")
        if field is None:
            yield html_text(value)
        elif isinstance(value, dict):
            yield str(value.get(field) or "")


def article_word_count(page):
    """字数 of an article: its title, summary and body (see COUNTED)."""
    texts = [page.title or "", page.summary or "", *body_texts(page.body.raw_data)]
    return sum(count_words(text) for text in texts)
