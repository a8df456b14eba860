"""Running every rule over an article's fields and putting the findings in reading order."""

from operator import attrgetter

from .findings import FIELD_ORDER
from .rules import ad_law, personal_data, provenance, punctuation, sensitive, typos
from .text import body_text
from .wordlist import fold

_POSITION = attrgetter("start", "end")


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
    by_field = {}
    for field, text in fields.items():
        if not text:
            continue
        folded = fold(text)  # once per field, shared by every rule that ignores width and case
        found = sensitive.check(field, text, word_list, folded)
        found += typos.check(field, text, typo_lists, folded)
        found += ad_law.check(field, text, folded)
        found += personal_data.check(field, text, folded)
        found += punctuation.check(field, text)
        found.sort(key=_POSITION)  # stable: findings at the same place keep the rules' order
        by_field[field] = found
    for finding in provenance.check(source_name, original_title, original_author, own_outlets):
        by_field.setdefault(finding.field, []).append(finding)
    order = [*fields, *(field for field in FIELD_ORDER if field not in fields)]
    order += [field for field in by_field if field not in order]
    return [finding for field in order for finding in by_field.get(field, ())]


def article_fields(page):
    """The texts of an ArticlePage (or anything with its text fields) the checks read, by field: title,
    subtitle, summary and the body's plain text (``body_text``), the texts findings' offsets point into."""
    fields = {"title": page.title or "", "subtitle": getattr(page, "subtitle", "") or ""}
    fields["summary"] = page.summary or ""
    fields["body"] = body_text(page.body.raw_data)
    return {name: text for name, text in fields.items() if text}


def check_article(page, *, own_outlets=(), word_list=None, typo_list=None):
    """Findings for an ArticlePage (or anything with its text fields), as ``check_fields`` gives them."""
    return check_fields(
        article_fields(page),
        source_name=page.source_name or "",
        original_title=getattr(page, "original_title", "") or "",
        original_author=page.original_author or "",
        own_outlets=own_outlets,
        word_list=word_list,
        typo_list=typo_list,
    )
