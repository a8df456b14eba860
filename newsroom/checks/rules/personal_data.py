"""个人信息: 身份证号, mobile numbers and bank card numbers printed in full.

Each is matched only where the whole number stands alone (not inside a longer run of digits or
letters, such as an order number or a document code) and only when it is valid, so a serial number
that happens to have the right length is left alone: an ID number needs its GB 11643 check digit and a
real birth date, a card number its Luhn digit. Masked forms (138****5678) are what we suggest.
"""

import re
from datetime import date

from ..findings import Finding

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"  # ISO 7064 MOD 11-2, indexed by the weighted sum mod 11

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?)?(1[3-9][0-9])([ -]?)([0-9]{4})\2([0-9]{4})(?![0-9A-Za-z])")
# Grouped by fours with spaces or hyphens as printed on the card, or one run of 16–19 digits.
CARD = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{1,3})?|[0-9]{16,19})(?![0-9A-Za-z])")
# Where any of the above can be: a run of 11 or more digits, spaces, hyphens and a leading "+". The patterns
# above open with a look-behind, which the regex engine tries at every character of an article; this one
# opens with a character class it skips ahead on, so only these few windows are searched in full.
CANDIDATE = re.compile(r"[0-9+][0-9 \-]{9,}[0-9Xx]")
# An 11-digit amount or count ("13500000000元") is a quantity, not a phone number.
QUANTITY_AFTER = re.compile(
    r"[.．][0-9]|\s*(?:元|万|亿|吨|千克|公斤|克|斤|米|千米|公里|亩|公顷|平方|立方|度|人|户|次|个|件|台|辆|%|‰)"
)


def valid_id_number(number):
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit() or not plausible_birth_date(number):
        return False
    return ID_CHECK[sum(int(d) * w for d, w in zip(number, ID_WEIGHTS, strict=False)) % 11] == number[17]


def plausible_birth_date(number):
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def luhn_valid(digits):
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mask_card(printed, count):
    """The card number as printed with all but its first and last four digits starred."""
    masked, seen = [], 0
    for char in printed:
        if char.isdigit():
            seen += 1
            char = char if seen <= 4 or seen > count - 4 else "*"
        masked.append(char)
    return "".join(masked)


def check(field, text, folded=None):
    """``folded`` (full-width digits made half-width, same length) finds numbers typed in full width."""
    source = folded if folded is not None else text
    findings, taken = [], []

    def add(start, end, reason, suggestion):
        taken.append((start, end))
        findings.append(Finding("personal_data", "block", field, start, end, text[start:end], reason, suggestion))

    # Each window reaches one character past its run, so the patterns' look-aheads see what follows it.
    windows = [(match.start(), match.end() + 1) for match in CANDIDATE.finditer(source)]
    if not windows:
        return findings

    def matches(pattern):
        for start, end in windows:
            yield from pattern.finditer(source, start, end)

    for match in matches(ID_NUMBER):
        number = match.group().upper()
        if valid_id_number(number):
            add(match.start(), match.end(), "疑似公民身份号码,发布前应删除或打码", number[:6] + "*" * 8 + number[14:])
    for match in matches(MOBILE):
        if QUANTITY_AFTER.match(source, match.end()):
            continue
        head, sep, middle, tail = match.group(1, 2, 3, 4)
        prefix = source[match.start() : match.start(1)]
        add(match.start(), match.end(), "疑似手机号码,发布前应删除或打码", f"{prefix}{head}{sep}****{sep}{tail}")
    for match in matches(CARD):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        digits = re.sub(r"[ -]", "", match.group())
        # An 18-digit number with a birth date in place is an ID number (valid or mistyped), not a card.
        if len(digits) == 18 and plausible_birth_date(digits):
            continue
        if digits[0] in "3456789" and luhn_valid(digits):
            add(start, end, "疑似银行卡号,发布前应删除或打码", mask_card(match.group(), len(digits)))
    return findings
