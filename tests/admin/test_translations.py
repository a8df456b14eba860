"""The project's translations (locale/) are complete, keep their placeholders, and are compiled as committed.

Read without GNU gettext, so the check runs wherever the tests run. After editing a .po file, compile it with
``msgfmt -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po`` (and the same for
djangojs), or ``python manage.py compilemessages --ignore=.venv``.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.admin.catalogue import expected_catalogue, placeholders, read_mo, read_po

CATALOGUES = sorted(path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.po"))
# Chinese counts a listing without naming what is counted ("第 1-9 个,共 9 个"), and Wagtail passes no model
# name at all on search results, where keeping it would print "None".
MAY_DROP = {"%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s": {"%(model_name)s"}}


def name(path):
    return str(path.relative_to(settings.BASE_DIR))


def test_the_admin_catalogues_exist():
    assert {path.name for path in CATALOGUES} >= {"django.po", "djangojs.po"}


@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_every_message_is_translated(po):
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in read_po(po)
        if entry.msgid and (entry.fuzzy or not all(entry.msgstr.values()))
    ]
    assert not untranslated, f"{name(po)} has untranslated or fuzzy messages:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_translations_keep_their_placeholders(po):
    wrong = []
    for entry in read_po(po):
        if not entry.msgid:
            continue
        expected = set(placeholders(entry.msgid_plural or entry.msgid)) | set(placeholders(entry.msgid))
        for translation in entry.msgstr.values():
            found = set(placeholders(translation))
            if found - expected or expected - found - MAY_DROP.get(entry.msgid, set()):
                wrong.append(f"line {entry.line}: {entry.msgid!r} -> {translation!r}")
    assert not wrong, f"{name(po)} has translations whose placeholders differ from the English:\n" + "\n".join(wrong)


@pytest.mark.parametrize("po", CATALOGUES, ids=name)
def test_compiled_catalogue_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{name(mo)} is missing: compile {name(po)} (see this module's docstring)"
    compiled, source = read_mo(mo), expected_catalogue(read_po(po))
    stale = sorted(
        repr(key) for key in compiled.keys() | source.keys() if key != "" and compiled.get(key) != source.get(key)
    )
    assert not stale, f"{name(mo)} differs from {name(po)}; compile it again (see this module's docstring):\n" + (
        "\n".join(stale)
    )
