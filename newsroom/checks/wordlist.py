"""Word lists compiled once into an Aho-Corasick automaton, so a 50,000-word list scans a long article in
one pass."""

import re

import ahocorasick

from .findings import LEVELS

# Full-width ASCII (Ａ, １, ？) written where the half-width one was meant, and capitals, must not hide a
# listed word. Both mappings keep one character for one character, so offsets into the normalised text
# are offsets into the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_FOLD.update({code + 0xFEE0: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_FOLD[0x3000] = 0x20  # the ideographic space
# Only the runs that change are translated: str.translate looks every character of a Chinese text up one
# by one, several times slower than finding the few runs of Latin letters and full-width marks.
_FOLDABLE = re.compile("[A-Z\u3000\uff01-\uff5e]+")


def _fold_run(match):
    return match.group().translate(_FOLD)


def fold(text):
    """``text`` with full-width ASCII made half-width and Latin letters lower-case, same length."""
    return _FOLDABLE.sub(_fold_run, text)


class WordList:
    """An immutable list of ``(word, level, note)`` entries that finds every occurrence of every word.

    Matching ignores Latin case and full-width/half-width forms. A word listed twice keeps its stricter
    level (``block`` over ``warn``) and the first non-empty note.
    """

    __slots__ = ("_automaton", "_size")

    def __init__(self, entries):
        merged = {}
        for word, level, note in entries:
            if level not in LEVELS:
                raise ValueError(f"unknown level {level!r} for {word!r}")
            word = (word or "").strip()
            if not word:
                continue
            key = fold(word)
            if key in merged:
                _, old_level, old_note = merged[key]
                level = "block" if "block" in (level, old_level) else "warn"
                note = old_note or note
                word = merged[key][0]
            merged[key] = (word, level, note or "")
        automaton = ahocorasick.Automaton()
        for key, (word, level, note) in merged.items():
            automaton.add_word(key, (len(key), word, level, note))
        if merged:
            automaton.make_automaton()
        self._automaton = automaton
        self._size = len(merged)

    def __len__(self):
        return self._size

    def __contains__(self, word):
        return fold(word.strip()) in self._automaton if self._size else False

    def __setattr__(self, name, value):
        if hasattr(self, "_size"):
            raise AttributeError("a WordList cannot be changed; build a new one")
        object.__setattr__(self, name, value)

    def find(self, text, *, folded=None):
        """A list of ``(start, end, word, level, note)`` for every occurrence, overlapping ones included,
        in the order they end. ``folded`` is ``fold(text)`` when the caller already has it."""
        if not self._size or not text:
            return []
        haystack = folded if folded is not None else fold(text)
        # A list comprehension over the C iterator: a long article against a big list can match thousands
        # of times, and a generator frame per match would cost more than the scan itself.
        return [
            (last + 1 - n, last + 1, word, level, note)
            for last, (n, word, level, note) in self._automaton.iter(haystack)
        ]
