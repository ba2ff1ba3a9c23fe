"""The organiser console in real headless Chromium on a phone-sized screen: log in, find a registrant by
search, cancel them, see the waitlisted person promoted, then fetch the signing-sheet PDF; every console page passes axe-core and none
scrolls sideways.
"""
import io

import pytest
from pypdf import PdfReader
from playwright.sync_api import expect

from eventapp.auth.services import create_user
from eventapp.extensions import db
from test_organiser import add_partner
from tests.browser.test_rsvp_browser import AXE, AXE_URL, axe_problems, no_horizontal_scroll, stored, t

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture
def full_event(make_event, make_registration, frozen_clock):
    """One seat, taken by Sára Zeeman; Wim Wachter waits for it."""
    event = make_event(capacity=1)
    seated = make_registration(name="Sára Zeeman", organisation="Gemeente Zaanstad", email="sara@example.org")
    waiting = make_registration(name="Wim Wachter", organisation="GGD Hollands Noorden", email="wim@example.org")
    assert (seated.status, waiting.status) == ("confirmed", "waitlisted")
    add_partner(event, seated)  # the dashboard's partner table has a row
    create_user("organiser@example.org", "organiser", PASSWORD, name="Tessa")
    return event


def log_in(page, lang="en"):
    page.goto(f"/login?lang={lang}")
    page.get_by_label(t(lang, "E-mail"), exact=True).fill("organiser@example.org")
    page.get_by_label(t(lang, "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t(lang, "Log in")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Dashboard"))


def search(page, lang, text):
    page.get_by_role("link", name=t(lang, "Registrations"), exact=True).click()
    page.get_by_label(t(lang, "Search by name, organisation or e-mail")).fill(text)
    page.get_by_label(t(lang, "Search by name, organisation or e-mail")).press("Enter")


def test_find_cancel_and_see_the_waitlist_promoted(page, full_event):
    lang = "en"
    log_in(page, lang)
    search(page, lang, "sara zeeman")  # no accent, lower case: still found
    expect(page.get_by_role("status").filter(has_text="registration found")).to_have_text("1 registration found")
    page.get_by_role("link", name="Sára Zeeman").click()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=t(lang, "Cancel registration")).click()  # dismissed: nothing happens
    assert asked and "Sára Zeeman" in asked[0]
    assert stored("sara@example.org").status == "confirmed"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=t(lang, "Cancel registration")).click()
    expect(page.get_by_text(t(lang, "The registration has been cancelled."))).to_be_visible()
    expect(page.locator("[data-status]").first).to_have_text(t(lang, "Cancelled"))

    search(page, lang, "wachter")
    row = page.get_by_role("row").filter(has_text="Wim Wachter")
    expect(row.locator("[data-status]")).to_have_text(t(lang, "Confirmed"))
    row.get_by_role("link", name="Wim Wachter").click()
    expect(page.locator("[data-status]").first).to_have_text(t(lang, "Confirmed"))
    expect(page.get_by_text("promoted · system")).to_be_visible()
    assert stored("wim@example.org").status == "confirmed"
    assert stored("sara@example.org").status == "cancelled"

    # On the day: print the signing sheet as a PDF from the console.
    page.get_by_role("link", name=t(lang, "Invitations")).first.click()
    page.get_by_role("link", name=t(lang, "Print views")).first.click()
    sheet = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=t(lang, "Signing sheet")))
    # The PDF opens inline; fetch it the way the click would, with the browser's own session.
    link = sheet.get_by_role("link", name=t(lang, "Download PDF"))
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert f"1 / {len(pdf.pages)}" in text  # page numbers
    assert "Gemeente Zaanstad" in text  # the partner's line, awaiting a signature


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_console_pages_pass_axe_on_a_phone(page, full_event, lang):
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    log_in(page, lang)
    problems = []
    person = stored("sara@example.org")
    for url in ("/organiser/", "/organiser/registrations", f"/organiser/registrations/{person.id}",
                f"/organiser/registrations/{person.id}/edit", "/organiser/registrations/new", "/organiser/audit",
                "/organiser/mailings", "/organiser/mailings/new", "/organiser/settings", "/organiser/staff"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        no_horizontal_scroll(page)
        problems += axe_problems(page)
    page.goto("/organiser/mailings/new")
    for field, value in (("subject_nl", "Praktisch"), ("body_nl", "Tot dinsdag."), ("subject_en", "Practical"),
                         ("body_en", "See you on Tuesday.")):
        page.locator(f"#{field}").fill(value)
    page.locator('button[value="preview"]').click()
    expect(page.locator('[data-preview="en"]')).to_contain_text("See you on Tuesday.")
    problems += axe_problems(page)
    page.locator('button[value="send"]').click()
    expect(page.locator('#mailing-progress [data-stat="total"]')).to_have_text("2")
    no_horizontal_scroll(page)
    problems += axe_problems(page)
    db.session.rollback()
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
