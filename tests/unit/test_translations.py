"""The candidate page's gettext catalogs: the compiled .mo files say what the .po files say, and
every message of the templates is translated in French and English."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

PAGE = Path(__file__).parents[2] / "bot" / "app" / "candidate_page"
TRANSLATIONS = PAGE / "translations"
LANGUAGES = ("fr", "en")


def _po(language: str) -> dict[str, str]:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    assert not catalog.fuzzy
    return {str(m.id): str(m.string) for m in catalog if m.id and not m.fuzzy}


def _template_messages() -> set[str]:
    found = extract_from_dir(str(PAGE), method_map=[("templates/**.html", "jinja2")])
    return {str(message) for _, _, message, _, _ in found}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language: str) -> None:
    messages = _po(language)
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)

    assert {k for k in mo._catalog if k} == set(messages)  # type: ignore[attr-defined]
    for msgid, msgstr in messages.items():
        assert mo.gettext(msgid) == msgstr, msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_templates_is_translated(language: str) -> None:
    messages = _po(language)

    assert _template_messages() == set(messages)
    assert all(messages.values())


def test_the_french_catalog_is_french() -> None:
    french = _po("fr")

    assert french["Choose a time"] == "Choisissez un horaire"
    assert sum(msgid != msgstr for msgid, msgstr in french.items()) > len(french) - 3
