"""The RSVP as a person on a phone does it, in real headless Chromium at 390x844: by label, by keyboard,
in Dutch and English; the ticket's QR is shown, readable and holds "AK1:" + the ticket secret; no page
scrolls sideways; axe-core finds no serious or critical accessibility violation.

Labels are looked up in the app's own catalogs, so the tests follow the translations as they change.
"""
import io
import re
import uuid
from pathlib import Path

import pytest
import zxingcpp
from flask_babel import force_locale, gettext
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.auth.services import create_user
from eventapp.extensions import db
from eventapp.registration.choices import PLEDGE_ACTIVITIES
from eventapp.registration.models import Registration

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
MANAGE_URL = re.compile(r"/ticket/[A-Z0-9]+$")
MONITORING_CONSENT = "Our organisation takes part in the yearly monitoring of the pledge."
PRIVACY_CONSENT = "I have read the privacy statement and agree that my details are used for this event."


def t(lang: str, msgid: str, **kw) -> str:
    """The text a visitor sees for `msgid` in `lang`."""
    with force_locale(lang):
        return gettext(msgid, **kw)


def activity_label(lang: str, n: int) -> str:
    with force_locale(lang):
        return gettext("Activity %(n)d: %(text)s", n=n, text=str(PLEDGE_ACTIVITIES[n - 1][1]))


def stored(email: str) -> Registration:
    """The registration as the server committed it (a fresh read, not this thread's cached rows)."""
    db.session.rollback()
    return db.session.execute(select(Registration).where(Registration.email == email)).scalar_one()


def new_email() -> str:
    return f"anouk.{uuid.uuid4().hex[:8]}@example.org"


def fill_about_you(page, lang: str, email: str, participation: str = "I attend") -> None:
    """Fill the "About you" card by its visible labels."""
    about = page.get_by_role("group", name=t(lang, "About you"))
    about.get_by_label(t(lang, "Name"), exact=True).fill("Anouk de Vries")
    about.get_by_label(t(lang, "E-mail"), exact=True).fill(email)
    about.get_by_label(t(lang, "Organisation"), exact=True).fill("Gemeente Den Haag")
    about.get_by_label(t(lang, "Type of organisation"), exact=True).select_option(label=t(lang, "Municipality"))
    about.get_by_label(t(lang, "Function"), exact=True).fill("Beleidsadviseur")
    about.get_by_label(t(lang, participation), exact=True).check()


def submit(page, lang: str) -> None:
    page.get_by_role("button", name=t(lang, "Send registration")).click()


def assert_qr_ticket(page, lang: str, email: str) -> None:
    """The manage page shows a loaded QR of at least 200 CSS px that decodes to "AK1:" + the ticket secret."""
    expect(page).to_have_url(MANAGE_URL)
    qr = page.get_by_role("img", name=t(lang, "QR code of your ticket: show it at the entrance"))
    expect(qr).to_be_visible()
    qr.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    box = qr.bounding_box()
    assert box["width"] >= 200, f"QR is only {box['width']} CSS px wide"
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], "QR sticks out of the screen"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [code.text for code in decoded] == ["AK1:" + stored(email).ticket_secret]


def no_horizontal_scroll(page) -> None:
    width, screen = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    assert width <= screen, f"{page.url} scrolls sideways: {width}px wide on a {screen}px screen"


@pytest.fixture
def event(make_event, frozen_clock):
    return make_event()


def test_rsvp_in_dutch_shows_a_scannable_ticket(page, event):
    assert t("nl", "Send registration") != "Send registration", "the Dutch catalog is not in use"
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    email = new_email()
    fill_about_you(page, "nl", email)
    page.get_by_label(t("nl", PRIVACY_CONSENT), exact=True).check()
    submit(page, "nl")
    assert_qr_ticket(page, "nl", email)
    assert stored(email).language == "nl"


def test_rsvp_in_english_after_the_language_switch(page, event):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name=t("en", "Register now")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    email = new_email()
    fill_about_you(page, "en", email)
    page.get_by_label(t("en", PRIVACY_CONSENT), exact=True).check()
    submit(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_qr_ticket(page, "en", email)
    assert stored(email).language == "en"


def test_signatory_section_appears_keeps_input_and_registers(page, event):
    lang = "nl"
    page.goto("/register")
    section = page.locator("#signatory-section")
    expect(section).to_be_hidden()
    email = new_email()
    fill_about_you(page, lang, email, participation="I sign the pledge on behalf of my organisation")
    expect(section).to_be_visible()
    page.get_by_label(t(lang, "I attend"), exact=True).check()
    expect(section).to_be_hidden()
    page.get_by_label(t(lang, "I sign the pledge on behalf of my organisation"), exact=True).check()
    expect(section).to_be_visible()

    partner = page.get_by_role("group", name=t(lang, "Suggested partner %(n)d", n=1))
    partner.get_by_label(t(lang, "Organisation"), exact=True).fill("Voedselbank Haaglanden")
    partner.get_by_label(t(lang, "Contact person"), exact=True).fill("Sem Jansen")
    partner.get_by_label(t(lang, "E-mail"), exact=True).fill("sem@voedselbank.example")
    page.get_by_label(t(lang, MONITORING_CONSENT), exact=True).check()
    page.get_by_label(t(lang, PRIVACY_CONSENT), exact=True).check()
    submit(page, lang)  # without the three commitments

    expect(page).to_have_url(re.compile(r"/register$"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(t(lang, "Please check the fields marked below."))
    expect(summary).to_be_focused()
    missing = t(lang, "Please describe your organisation's commitment under each of the three activities.")
    expect(page.get_by_text(missing).first).to_be_visible()
    first = page.get_by_label(activity_label(lang, 1), exact=True)  # the message is tied to the field
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(first).to_have_accessible_description(re.compile(re.escape(missing)))
    # Everything typed is still there, and the section is still open.
    expect(section).to_be_visible()
    about = page.get_by_role("group", name=t(lang, "About you"))
    expect(about.get_by_label(t(lang, "Name"), exact=True)).to_have_value("Anouk de Vries")
    expect(about.get_by_label(t(lang, "E-mail"), exact=True)).to_have_value(email)
    expect(about.get_by_label(t(lang, "Organisation"), exact=True)).to_have_value("Gemeente Den Haag")
    expect(about.get_by_label(t(lang, "Function"), exact=True)).to_have_value("Beleidsadviseur")
    expect(about.get_by_label(t(lang, "I sign the pledge on behalf of my organisation"), exact=True)).to_be_checked()
    partner = page.get_by_role("group", name=t(lang, "Suggested partner %(n)d", n=1))
    expect(partner.get_by_label(t(lang, "Organisation"), exact=True)).to_have_value("Voedselbank Haaglanden")
    expect(partner.get_by_label(t(lang, "Contact person"), exact=True)).to_have_value("Sem Jansen")
    expect(page.get_by_label(t(lang, MONITORING_CONSENT), exact=True)).to_be_checked()
    expect(page.get_by_label(t(lang, PRIVACY_CONSENT), exact=True)).to_be_checked()

    for n in (1, 2, 3):
        page.get_by_label(activity_label(lang, n), exact=True).fill(f"Wij doen activiteit {n}.")
    submit(page, lang)
    assert_qr_ticket(page, lang, email)
    registration = stored(email)
    assert registration.participation == "signatory"
    assert [registration.commitment_for(n) for n in (1, 2, 3)] == [f"Wij doen activiteit {n}." for n in (1, 2, 3)]
    assert [p.organisation for p in registration.suggested_partners] == ["Voedselbank Haaglanden"]


FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText
                                              : (el.getAttribute("aria-label") || el.innerText);
  return (label || "").trim();
}"""


def tab_to(page, name: str, limit: int = 25) -> None:
    """Press Tab until the focused control is the one called `name` (as a keyboard user would)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED_NAME))
        if seen[-1] == name:
            return
    pytest.fail(f"Tab never reached {name!r}; focus went through {seen}")


def test_the_form_can_be_completed_by_keyboard_only(page, event):
    lang = "nl"
    page.goto("/register")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t(lang, "Skip to content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    email = new_email()
    tab_to(page, t(lang, "Name"))
    page.keyboard.type("Kees Keyboard")
    tab_to(page, t(lang, "E-mail"))
    page.keyboard.type(email)
    tab_to(page, t(lang, "Organisation"))
    page.keyboard.type("Gemeente Utrecht")
    tab_to(page, t(lang, "Type of organisation"))
    page.keyboard.type(t(lang, "Education"))  # type-ahead picks the option
    tab_to(page, t(lang, "I sign the pledge on behalf of my organisation"))  # first radio of the group
    page.keyboard.press("ArrowDown")  # moves to and picks "I attend"
    expect(page.locator("#signatory-section")).to_be_hidden()
    tab_to(page, t(lang, "I agree to appear in photos and video of the event."))
    page.keyboard.press("Space")
    tab_to(page, t(lang, PRIVACY_CONSENT))
    page.keyboard.press("Space")
    tab_to(page, t(lang, "Send registration"))
    button = page.get_by_role("button", name=t(lang, "Send registration"))
    expect(button).to_be_focused()
    assert button.evaluate("el => getComputedStyle(el).outlineStyle") != "none", "keyboard focus is invisible"
    page.keyboard.press("Enter")

    expect(page).to_have_url(MANAGE_URL)
    registration = stored(email)
    assert (registration.name, registration.organisation.name, registration.organisation.type) == \
        ("Kees Keyboard", "Gemeente Utrecht", "education")
    assert (registration.participation, registration.photo_consent) == ("attendee", True)
    assert registration.privacy_consent_at is not None


def test_no_page_scrolls_sideways_on_a_phone(page, event, make_registration):
    registration = make_registration(participation="signatory", commitments={1: "a", 2: "b", 3: "c"},
                                     suggested_partners=[{"organisation": "X", "contact_name": "", "email": ""}],
                                     monitoring_consent=True)
    for url in ("/", "/register", f"/ticket/{registration.manage_secret}", "/privacy", "/login"):
        page.goto(url)
        no_horizontal_scroll(page)
    page.goto("/register")
    page.get_by_label(t("nl", "I sign the pledge on behalf of my organisation"), exact=True).check()
    submit(page, "nl")  # every error message shown
    expect(page.get_by_role("alert")).to_be_visible()
    no_horizontal_scroll(page)


AXE_URL = "/__tests__/axe.min.js"  # served by the test's route handler: same origin, so the strict CSP holds


def axe_problems(page) -> list[str]:
    """Run axe-core on the page; describe every violation of impact serious or critical."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: [{v['impact']}] {v['id']}: {v['help']} -> "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_pass_axe(page, event, make_registration, lang):
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    problems = []
    page.goto(f"/?lang={lang}")
    for url in ("/", "/register", "/privacy", "/login"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        problems += axe_problems(page)
    page.goto("/register")
    page.get_by_label(t(lang, "I sign the pledge on behalf of my organisation"), exact=True).check()
    submit(page, lang)  # the form with its error messages
    expect(page.get_by_role("alert")).to_be_visible()
    problems += axe_problems(page)

    confirmed = make_registration(language=lang)
    event.capacity = 1  # the next one lands on the waitlist: the manage page's other look
    db.session.commit()
    waitlisted = make_registration(language=lang)
    assert (confirmed.status, waitlisted.status) == ("confirmed", "waitlisted")
    for registration in (confirmed, waitlisted):
        page.goto(f"/ticket/{registration.manage_secret}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        problems += axe_problems(page)
    for url in (f"/ticket/{confirmed.manage_secret}/edit", f"/ticket/{confirmed.manage_secret}/cancel",
                "/ticket/NO-SUCH-TICKET"):  # the last one: the 404 page
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        problems += axe_problems(page)

    create_user(f"organiser-{lang}@example.org", "organiser", "een-lang-wachtwoord")
    page.goto("/login")
    page.get_by_label(t(lang, "E-mail"), exact=True).fill(f"organiser-{lang}@example.org")
    page.get_by_label(t(lang, "Password"), exact=True).fill("een-lang-wachtwoord")
    page.get_by_role("button", name=t(lang, "Log in")).click()
    page.goto("/organiser/outbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Outbox"))
    problems += axe_problems(page)
    page.get_by_role("table").get_by_role("link").first.click()
    problems += axe_problems(page)
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
