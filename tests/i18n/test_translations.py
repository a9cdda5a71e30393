"""Every user-visible string has Indonesian, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture(scope="module")
def indonesian():
    return polib.pofile(str(LOCALE / "id" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_an_indonesian_translation(indonesian):
    missing = [entry.msgid for entry in indonesian.untranslated_entries()]
    guessed = [entry.msgid for entry in indonesian.fuzzy_entries()]

    assert missing == []
    assert guessed == []


def test_translations_keep_their_placeholders(indonesian):
    broken = [
        entry.msgid
        for entry in indonesian.translated_entries()
        if "python-format" in entry.flags
        and sorted(_placeholders(entry.msgid_plural or entry.msgid))
        # Indonesian has one plural form, which follows the English plural.
        != sorted(_placeholders(entry.msgstr or entry.msgstr_plural[0]))
    ]

    assert broken == []


def test_compiled_catalogue_matches_the_source(indonesian):
    """A .po edited without `make messages` would silently show stale text."""
    with open(LOCALE / "id" / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    stale = [
        entry.msgid
        for entry in indonesian.translated_entries()
        if not entry.msgid_plural and catalogue.gettext(entry.msgid) != entry.msgstr
    ]

    assert stale == []


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\([a-z_]+\)[sd]|%[sd]", text)
