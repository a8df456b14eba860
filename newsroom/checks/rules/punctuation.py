"""标点: half-width , ; : ? ! ( ) in Chinese text, and brackets or quotation marks left unpaired.

A half-width mark is flagged when a Chinese character stands right before or after it; Latin text,
numbers (3:2, 1,000, 10:30) and web addresses keep theirs. A half-width "(" and its ")" are judged
together, so "(PM2.5)" after Chinese is one pair to fix, not half of one.

Quotation marks may span paragraphs: by the usual rule a quotation of several paragraphs opens each
paragraph with “ and closes only the last, so an unclosed “ followed by a paragraph that opens with
“ is not a mistake. Book-title marks and brackets close on their own line.
"""

import re

from ..findings import Finding

FULL_WIDTH = dict(zip(",;:?!()", "\uff0c\uff1b\uff1a\uff1f\uff01\uff08\uff09", strict=True))
PAIRS = {"《": "》", "\uff08": "\uff09", "【": "】", "〔": "〕"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}
NAMES = {
    "“": "前引号“",
    "”": "后引号”",
    "《": "书名号《",
    "》": "书名号》",
    "\uff08": "括号\uff08",
    "\uff09": "括号\uff09",
    "【": "方括号【",
    "】": "方括号】",
    "〔": "括号〔",
    "〕": "括号〕",
}
URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e“”‘’《》]+", re.IGNORECASE)
HALF = re.compile(r"[,;:?!()]")
MARKS = re.compile("[“”\n" + "".join(PAIRS) + "".join(CLOSERS) + "]")


def is_chinese(char):
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def check(field, text, folded=None):
    return sorted(_half_width(field, text) + _unpaired(field, text), key=lambda f: (f.start, f.end))


def _half_width(field, text):
    urls = [match.span() for match in URL.finditer(text)]
    flagged, opens = [], []  # opens: (offset of "(", whether it touches Chinese)

    def touches_chinese(index):
        return (index > 0 and is_chinese(text[index - 1])) or (index + 1 < len(text) and is_chinese(text[index + 1]))

    for match in HALF.finditer(text):
        index, char = match.start(), match.group()
        if any(s <= index < e for s, e in urls):
            continue
        if char == "(":
            opens.append((index, touches_chinese(index)))
        elif char == ")" and opens:
            start, start_touches = opens.pop()
            if start_touches or touches_chinese(index) or any(map(is_chinese, text[start + 1 : index])):
                flagged += [start, index]
        elif touches_chinese(index):
            flagged.append(index)
    flagged += [index for index, touches in opens if touches]
    return [
        Finding(
            "punctuation",
            "warn",
            field,
            index,
            index + 1,
            text[index],
            f"中文中使用了半角标点“{text[index]}”",
            FULL_WIDTH[text[index]],
        )
        for index in sorted(flagged)
    ]


def _unpaired(field, text):
    findings = []

    def report(index, missing):
        char = text[index]
        findings.append(
            Finding("punctuation", "warn", field, index, index + 1, char, f"{NAMES[char]}不成对:缺少{missing}")
        )

    quotes = []  # offsets of “ still open, carried across paragraphs by the several-paragraph rule
    brackets = []
    line_start = 0
    continuation = False  # this line goes on with a quotation opened in an earlier paragraph
    # Only the marks themselves are visited, not every character: articles run to tens of thousands.
    for match in MARKS.finditer(text + "\n"):
        index, char = match.start(), match.group()
        if char == "\n":
            for open_index in brackets:
                report(open_index, NAMES[PAIRS[text[open_index]]])
            brackets = []
            line_start = index + 1
            if quotes and not text.startswith("“", line_start):
                for open_index in quotes:
                    report(open_index, "后引号”")
                quotes = []
            continuation = bool(quotes)
        elif char == "“":
            if continuation and index == line_start:
                continue  # the same quotation going on in a new paragraph
            quotes.append(index)
        elif char == "”":
            if quotes:
                quotes.pop()
            else:
                report(index, "前引号“")
        elif char in PAIRS:
            brackets.append(index)
        elif brackets and text[brackets[-1]] == CLOSERS[char]:
            brackets.pop()
        else:
            report(index, NAMES[CLOSERS[char]])
    for index in quotes:
        report(index, "后引号”")
    return sorted(findings, key=lambda f: f.start)
