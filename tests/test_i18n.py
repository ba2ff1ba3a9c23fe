"""The translation catalogs: Dutch (the default) is complete, placeholders survive, the .mo is fresh.

The English catalog may have empty msgstrs on purpose (English falls back to the msgid); Dutch may not.
"""
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import eventapp

TRANSLATIONS = Path(eventapp.__file__).parent / "translations"
NL_PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
NL_MO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.mo"
ROOT = TRANSLATIONS.parent.parent

# %(name)s, %(n)d, ... and positional %s/%d; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def placeholders(text: str) -> set[str]:
    return {p for p in PLACEHOLDER.findall(text) if p != "%%"}


def read_catalog(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def as_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


@pytest.fixture(scope="module")
def nl():
    return read_catalog(NL_PO, locale="nl")


def messages(catalog):
    return [m for m in catalog if m.id]


def test_nl_catalog_is_not_empty_and_not_fuzzy(nl):
    assert len(messages(nl)) > 100
    assert not nl.fuzzy, "the nl catalog header is marked fuzzy: pybabel compile would skip it"


def test_every_nl_message_is_translated_and_not_fuzzy(nl):
    untranslated = [m.id for m in messages(nl) if not all(s.strip() for s in as_tuple(m.string))]
    fuzzy = [m.id for m in messages(nl) if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} nl messages without a translation: {untranslated}"
    assert not fuzzy, f"fuzzy nl messages (compile skips them): {fuzzy}"


def test_nl_plural_messages_fill_both_forms(nl):
    assert nl.num_plurals == 2
    plurals = [m for m in messages(nl) if m.pluralizable]
    assert plurals, "expected at least one plural message (the seats counter)"
    for m in plurals:
        forms = as_tuple(m.string)
        assert len(forms) == 2 and all(f.strip() for f in forms), m.id


def test_nl_placeholders_match_the_msgid(nl):
    mismatches = []
    for m in messages(nl):
        expected = placeholders(as_tuple(m.id)[0])
        for form in as_tuple(m.string):
            if placeholders(form) != expected:
                mismatches.append((m.id, form))
        mismatches.extend((m.id, str(error)) for error in m.check(nl))  # Babel's own python-format check
    assert not mismatches, mismatches


def test_nl_covers_every_message_in_the_code_and_templates(nl, tmp_path):
    """Extract afresh (not the committed .pot, which may be stale): a string the Dutch catalog lacks
    would show up in English on a Dutch page."""
    pot = tmp_path / "messages.pot"
    subprocess.run(["make", "--no-print-directory", "-s", "pot", f"POT={pot}"], cwd=ROOT, check=True)
    extracted = {m.id for m in messages(read_catalog(pot))}
    assert "Please check the fields marked below." in extracted  # templates/_macros/ is extracted too
    missing = sorted(str(as_tuple(i)[0]) for i in extracted if i not in nl)
    assert not missing, f"run `make translations` and translate: {missing}"


def test_compiled_nl_mo_is_not_older_than_the_po():
    # A git checkout writes .po and .mo in the same instant, in any order: allow that much, not more.
    assert NL_MO.stat().st_mtime >= NL_PO.stat().st_mtime - 2, (
        "messages.mo is older than messages.po: run `pybabel compile -d eventapp/translations`")


def test_compiled_nl_mo_holds_exactly_the_po_translations(nl):
    """Content, not only time: the .mo the app loads says what the .po says."""
    with NL_MO.open("rb") as f:
        compiled = read_mo(f)
    stale = []
    for m in messages(nl):
        got = compiled.get(m.id)
        if got is None or as_tuple(got.string) != as_tuple(m.string):
            stale.append(as_tuple(m.id)[0])
    assert not stale, f"messages.mo is stale, run `pybabel compile -d eventapp/translations`: {stale}"


def test_event_page_is_dutch_by_default_and_english_on_request(client, make_event, frozen_clock, nl):
    make_event()
    register_now_nl = nl["Register now"].string
    assert register_now_nl and register_now_nl != "Register now"

    dutch = client.get("/")
    assert dutch.status_code == 200
    page = dutch.get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert register_now_nl in page
    assert "Register now" not in page
    assert nl["Together against child poverty: signing of the pledge"].string in page

    english = client.get("/?lang=en")
    assert english.status_code == 200
    page = english.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Register now" in page
    assert register_now_nl not in page


def test_seats_counter_uses_the_dutch_plural(client, make_event, frozen_clock):
    make_event(capacity=1)
    assert "Nog 1 plaats beschikbaar" in client.get("/").get_data(as_text=True)


def test_pledge_activities_use_the_clients_exact_dutch_wording(nl):
    assert nl["We identify poverty, make it open to discussion and know which other organisations can be "
              "involved in solving it."].string == (
        "Wij signaleren armoede, maken dit bespreekbaar en weten welke andere organisaties betrokken kunnen "
        "worden bij de oplossing ervan.")
    assert nl["We do what is in our power to resolve the (health) consequences of poverty within (expectant) "
              "families."].string == (
        "Wij doen wat in onze mogelijkheid ligt om de (gezondheids-)gevolgen van armoede binnen (aanstaande) "
        "gezinnen op te lossen.")
    assert nl["We actively work together and show what works."].string == (
        "Wij werken actief samen en laten zien wat werkt.")
