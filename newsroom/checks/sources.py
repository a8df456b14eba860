"""The site's own word lists (敏感词, 错别字) from the database, compiled for the checks.

Compiling a list is the expensive part, so each process keeps its compiled lists and rebuilds one only when
the list's version token (``WordListVersion``, changed by every edit, delete and import) differs from the one
it was built from: one indexed read per call, and an edit made in any process is seen by the next check
in every other.
"""

import threading

from newsroom.models import CheckLevel, SensitiveWord, TypoPair, WordListVersion

from .wordlist import WordList

_compiled = {}  # list name → (version token, WordList or None)
_lock = threading.Lock()


def _current(name, entries, token=None):
    token = WordListVersion.current(name) if token is None else token
    cached = _compiled.get(name)
    if cached is not None and cached[0] == token:
        return cached[1]
    with _lock:  # threads of one process compile a changed list once
        cached = _compiled.get(name)
        if cached is None or cached[0] != token:
            rows = list(entries())
            cached = _compiled[name] = (token, WordList(rows) if rows else None)
    return cached[1]


def sensitive_words(token=None):
    """The site's 敏感词 as a WordList of (word, level, note), or None while the list is empty."""
    return _current(
        WordListVersion.SENSITIVE, lambda: SensitiveWord.objects.values_list("word", "level", "note"), token
    )


def site_typos(token=None):
    """The site's own 错别字 as a WordList of (wrong, "warn", right), or None while the list is empty."""

    def entries():
        for wrong, right in TypoPair.objects.values_list("wrong", "right"):
            yield wrong, CheckLevel.WARN.value, right

    return _current(WordListVersion.TYPOS, entries, token)


def word_lists():
    """``(sensitive_words(), site_typos())``, with both lists' versions read in one query."""
    tokens = dict(WordListVersion.objects.values_list("name", "token"))
    return (
        sensitive_words(tokens.get(WordListVersion.SENSITIVE, "")),
        site_typos(tokens.get(WordListVersion.TYPOS, "")),
    )
