"""敏感词: words of the site's own list, each with its level (block or warn). No list ships with the code."""

from ..findings import Finding


def check(field, text, word_list, folded=None):
    if word_list is None or not len(word_list):
        return []
    matches = sorted(word_list.find(text, folded=folded), key=lambda m: (m[0], -m[1]))
    findings = []
    # A word inside a longer listed word at least as strict says nothing new: one finding, not two.
    # Sorted by start, longest first, a match is inside an earlier one exactly when that one ends later.
    reach_any = reach_block = -1
    for start, end, word, level, note in matches:
        inside = reach_block >= end or (level == "warn" and reach_any >= end)
        reach_any = max(reach_any, end)
        if level == "block":
            reach_block = max(reach_block, end)
        if inside:
            continue
        reason = f"敏感词:{word}" + (f"({note})" if note else "")
        findings.append(Finding("sensitive", level, field, start, end, text[start:end], reason))
    return findings
