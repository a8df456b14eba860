"""Chinese word segmentation for the search index and for readers' queries.

Neither SQLite FTS5 nor PostgreSQL text search splits Chinese into words: an unbroken run of
Chinese characters is a single token, so 黄河 would never match 我国出台黄河保护法. We segment
with rjieba (the jieba-rs binding; same tokens as jieba on our corpus, about 30 times faster)
and hand the databases words separated by spaces, which both of them then split correctly.

- Indexed text is cut in *search mode*: every word plus the dictionary words inside it
  (黄河保护法 gives 黄河, 保护, 保护法, 黄河保护法), so shorter queries still match.
- A query is cut in *precise mode* (黄河保护法 gives 黄河 and 保护法); each term must match,
  and a long term also matches when all of its inner words do (污染防治 finds 大气污染防治).
- Autocomplete (the admin's search boxes) works on characters instead: what an editor types is often
  half a word (碳汇交 on the way to 碳汇交易), which the segmenter cuts differently from the whole
  title (碳 汇交 against 碳汇 交易). The autocomplete index keeps each Chinese character as a token, in
  order, and a typed run must appear as consecutive tokens: any part of a title finds it.
"""

import functools
import re
import unicodedata
from pathlib import Path

import rjieba

USER_DICT = Path(__file__).with_name("userdict.txt")
MAX_QUERY_TERMS = 16

# A run of letters and digits of any script: what both databases treat as part of a word.
WORD_RE = re.compile(r"[^\W_]+")
# CJK ideographs (unified, extension A, compatibility, supplementary planes): one autocomplete token each;
# any other run of letters and digits (COP27, pm2) is one token.
IDEOGRAPHS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
AUTOCOMPLETE_TOKEN_RE = re.compile(rf"[{IDEOGRAPHS}]|[^\W_{IDEOGRAPHS}]+")
IDEOGRAPH_RE = re.compile(rf"[{IDEOGRAPHS}]")
MAX_TYPED_TOKENS = 32


@functools.cache
def segmenter():
    """The shared rjieba instance with the site's user dictionary loaded (about 0.15 s, once per process)."""
    jieba = rjieba.Jieba()
    for word, frequency in read_user_dict(USER_DICT):
        jieba.add_word(word, frequency, None)
        if frequency is None:
            # Make sure the word is kept whole even where the stock dictionary prefers a split.
            jieba.add_word(word, jieba.suggest_freq(word), None)
    return jieba


def read_user_dict(path):
    """(word, frequency or None) for each line of a jieba-style user dictionary; `#` starts a comment."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, *rest = line.split()
        frequency = int(rest[0]) if rest and rest[0].isdigit() else None
        entries.append((word, frequency))
    return entries


def normalize(text):
    """NFKC (full-width Ｐ Ｍ ２.５ become PM2.5) and lower case, as both databases fold case."""
    return unicodedata.normalize("NFKC", str(text or "")).lower()


def words(tokens):
    """The word parts of segmenter tokens: punctuation, spaces and symbols dropped."""
    for token in tokens:
        yield from WORD_RE.findall(token)


def index_text(text):
    """Text to store in the search index: search-mode words separated by spaces."""
    text = normalize(text)
    if not text.strip():
        return ""
    return " ".join(words(segmenter().cut_for_search(text)))


def query_terms(text):
    """The distinct words of a reader's query, in order, at most MAX_QUERY_TERMS of them."""
    terms = []
    for term in words(segmenter().cut(normalize(text))):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_TERMS]


def inner_words(term):
    """Dictionary words inside a long term (污染防治: 污染, 防治), or [] when it has none."""
    if len(term) < 3:
        return []
    inner = [word for word in words(segmenter().cut_for_search(term)) if word != term]
    # Keep only the words needed to cover the term, the longest first, dropping ones inside others.
    inner = sorted(set(inner), key=len, reverse=True)
    kept = []
    for word in inner:
        if not any(word in other for other in kept):
            kept.append(word)
    covered = "".join(kept)
    return kept if all(char in covered for char in term) else []


def autocomplete_tokens(text):
    """Autocomplete tokens of ``text`` in order: each Chinese character, and each other word."""
    return AUTOCOMPLETE_TOKEN_RE.findall(normalize(text))


def autocomplete_text(text):
    """Text to store in the autocomplete index: its autocomplete tokens separated by spaces."""
    return " ".join(autocomplete_tokens(text))


def typed_runs(text):
    """What an editor typed as runs of tokens that must each appear, in order, in a title.

    Spaces and punctuation separate runs (碳汇 山西: two runs); at most MAX_TYPED_TOKENS tokens in all.
    """
    runs, left = [], MAX_TYPED_TOKENS
    for part in WORD_RE.findall(normalize(text)):
        tokens = autocomplete_tokens(part)[:left]
        if tokens and tokens not in runs:
            runs.append(tokens)
            left -= len(tokens)
        if left <= 0:
            break
    return runs


def is_ideograph(token):
    return bool(IDEOGRAPH_RE.fullmatch(token))
