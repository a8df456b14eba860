"""敏感词: words of the site's own list, each with its level (block or warn). No list ships with the code."""

from operator import itemgetter

from ..findings import Finding

_START = itemgetter(0)


def check(field, text, word_list, folded=None):
    if word_list is None or not len(word_list):
        return []
    # By start, the longest first: the matches come in the order they end, so reversed, a stable sort by
    # start alone puts the longer of two with the same start first (cheaper than a two-part key).
    matches = word_list.find(text, folded=folded)
    matches.reverse()
    matches.sort(key=_START)
    findings = []
    append = findings.append
    # A word inside a longer listed word at least as strict says nothing new: one finding, not two.
    # Sorted by start, longest first, a match is inside an earlier one exactly when that one ends later.
    reach_any = reach_block = -1
    for start, end, word, level, note in matches:
        if end <= reach_block or (end <= reach_any and level == "warn"):
            continue
        if end > reach_any:
            reach_any = end
        if level == "block":
            reach_block = end  # not inside an earlier block match, so it reaches further
        reason = f"敏感词:{word}({note})" if note else f"敏感词:{word}"
        append(Finding("sensitive", level, field, start, end, text[start:end], reason))
    return findings
