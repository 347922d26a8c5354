"""Japanese is the source language; the English catalogue must be complete and consistent."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")


def test_english_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert len(po) > 300
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)):
        expected = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            # A singular English form may spell the number out ("once"); it must not invent names.
            assert found <= expected and (found == expected or entry.msgid_plural), (entry.msgid, text)


@pytest.mark.django_db
def test_pages_switch_language(client, yokohama):
    japanese = client.get("/apply/").content.decode()
    assert ">会社名フリガナ" in japanese and 'lang="ja"' in japanese
    client.cookies["django_language"] = "en"
    english = client.get("/apply/").content.decode()
    assert 'lang="en"' in english
    assert ">Company name" in english
    assert "会社名フリガナ" not in english
