"""Running every rule over an article's fields and putting the findings in reading order."""

from .findings import FIELD_ORDER
from .rules import ad_law, personal_data, provenance, punctuation, sensitive, typos
from .text import body_text
from .wordlist import fold


def check_fields(
    fields,
    *,
    source_name="",
    original_title="",
    original_author="",
    own_outlets=(),
    word_list=None,
    typo_list=None,
):
    """Findings for texts such as ``{"title": …, "summary": …, "body": …}``, sorted by field, then offset.

    Fields sort in the order ``fields`` gives them; ``source_name`` (where the reprint findings point)
    follows them. ``typo_list`` adds the site's own pairs to the shipped ones.
    """
    typo_lists = (typos.shipped_typos(), typo_list)
    findings = []
    for field, text in fields.items():
        text = text or ""
        if not text:
            continue
        folded = fold(text)  # once per field, shared by every rule that ignores width and case
        findings += sensitive.check(field, text, word_list, folded)
        findings += typos.check(field, text, typo_lists, folded)
        findings += ad_law.check(field, text, folded)
        findings += personal_data.check(field, text, folded)
        findings += punctuation.check(field, text)
    findings += provenance.check(source_name, original_title, original_author, own_outlets)
    order = {name: index for index, name in enumerate([*fields, *(f for f in FIELD_ORDER if f not in fields)])}
    return sorted(findings, key=lambda f: (order.get(f.field, len(order)), f.start, f.end))


def check_article(page, *, own_outlets=(), word_list=None, typo_list=None):
    """Findings for an ArticlePage (or anything with its text fields), as ``check_fields`` gives them."""
    fields = {"title": page.title or "", "subtitle": getattr(page, "subtitle", "") or ""}
    fields["summary"] = page.summary or ""
    fields["body"] = body_text(page.body.raw_data)
    return check_fields(
        {name: text for name, text in fields.items() if text},
        source_name=page.source_name or "",
        original_title=getattr(page, "original_title", "") or "",
        original_author=page.original_author or "",
        own_outlets=own_outlets,
        word_list=word_list,
        typo_list=typo_list,
    )
