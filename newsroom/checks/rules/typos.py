"""错别字: whole "wrong → right" confusion pairs, from the shipped list (typos.txt) and the site's own.

Only whole wrong forms that are never correct Chinese are listed, so a finding is worth an editor's
look every time. Overlapping matches keep the leftmost, then the longest: "声名狼籍" is one finding,
not also "狼籍".
"""

import functools
from pathlib import Path

from ..findings import Finding
from ..wordlist import WordList

TYPOS_FILE = Path(__file__).resolve().parent.parent / "typos.txt"


def read_pairs(path=TYPOS_FILE):
    """``(wrong, right)`` pairs of a ``wrong<TAB>right`` file; ``#`` starts a comment."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("\t") if part.strip()]
        if len(parts) != 2:
            raise ValueError(f"{path}:{number}: expected wrong<TAB>right, got {line!r}")
        pairs.append((parts[0], parts[1]))
    return pairs


@functools.cache
def shipped_typos():
    """The shipped confusion pairs as a WordList (note = the right form), compiled once per process."""
    return WordList((wrong, "warn", right) for wrong, right in read_pairs())


def check(field, text, lists, folded=None):
    matches = []
    for word_list in lists:
        if word_list is not None and len(word_list):
            matches.extend(word_list.find(text, folded=folded))
    matches.sort(key=lambda m: (m[0], -m[1]))
    findings, covered = [], 0
    for start, end, _word, _level, right in matches:
        if start < covered:
            continue
        covered = end
        findings.append(
            Finding("typo", "warn", field, start, end, text[start:end], f"疑似错别字:应为“{right}”", right)
        )
    return findings
