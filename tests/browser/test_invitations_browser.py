"""Invitations, exports and print views in real headless Chromium on a phone: import with preview, send,
watch progress, the invitee's link and one-click decline, the signing-sheet PDF; axe-core on every page."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.auth.services import create_user
from eventapp.extensions import db
from eventapp.invitations.models import Invitation

from .test_rsvp_browser import AXE, AXE_URL, axe_problems, t

pytestmark = pytest.mark.browser
WAIT = 20_000  # ms: an upper bound for a page under a loaded test machine, not a timing claim

CSV = ("naam;e-mail;organisatie;type\n"
       "Anouk de Vries;anouk@example.org;Gemeente Den Haag;gemeente\n"
       "Bram Jansen;bram@example;Stichting Leergeld;stichting\n"
       "Cees Visser;cees@example.org;GGD Haaglanden;zorg\n").encode()


def log_in(page, lang: str) -> None:
    create_user("organiser@example.org", "organiser", "een-lang-wachtwoord")
    page.goto(f"/login?lang={lang}")
    page.get_by_label(t(lang, "E-mail"), exact=True).fill("organiser@example.org")
    page.get_by_label(t(lang, "Password"), exact=True).fill("een-lang-wachtwoord")
    page.get_by_role("button", name=t(lang, "Log in")).click()


def invitations() -> list[Invitation]:
    db.session.rollback()  # read what the server committed
    return db.session.execute(select(Invitation).order_by(Invitation.email)).scalars().all()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_organiser_imports_sends_and_the_invitee_declines(page, make_event, frozen_clock, lang, tmp_path):
    make_event()
    page.set_default_timeout(WAIT)
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    problems = []
    log_in(page, lang)
    page.get_by_role("link", name=t(lang, "Invitations"), exact=True).first.click()
    problems += axe_problems(page)
    page.get_by_role("link", name=t(lang, "Import a list")).click()
    problems += axe_problems(page)
    upload = tmp_path / "genodigden.csv"
    upload.write_bytes(CSV)
    page.get_by_label(t(lang, "List of invitees (CSV or Excel)")).set_input_files(str(upload))
    page.get_by_role("button", name=t(lang, "Check the list")).click()
    expect(page.locator("#line-3")).to_contain_text(t(lang, "The e-mail address is missing or not valid."), timeout=WAIT)
    problems += axe_problems(page)
    assert invitations() == []  # the preview saves nothing
    page.get_by_role("button", name=t(lang, "Import %(n)d invitees", n=2)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Invitations"), timeout=WAIT)  # the import has committed
    assert [i.email for i in invitations()] == ["anouk@example.org", "cees@example.org"]

    page.get_by_role("button", name=t(lang, "Send invitations (not yet sent)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Sending"), timeout=WAIT)
    expect(page.locator('[data-count="queued"]')).to_have_text("2", timeout=WAIT)
    problems += axe_problems(page)
    for url in ("/organiser/exports/", "/organiser/print/", "/organiser/print/signing_sheet", "/organiser/print/badges",
                "/organiser/print/commitments", "/organiser/invitations/suggested"):
        page.goto(url)
        problems += axe_problems(page)
    with page.expect_download() as download:
        page.goto("/organiser/exports/")
        page.get_by_role("link", name=f"{t(lang, 'Registrations')}: CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    response = page.request.get("/organiser/print/signing_sheet.pdf")
    assert response.ok and response.body().startswith(b"%PDF")

    anouk = invitations()[0]
    invitee = page.context.browser.new_context(viewport={"width": 390, "height": 844}, base_url=page.url.split("/organiser")[0])
    invitee.set_default_timeout(WAIT)
    phone = invitee.new_page()
    phone.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    phone.goto(f"/i/{anouk.secret}")
    own = anouk.language  # the invitee's pages speak the invitation's language, not the organiser's
    expect(phone.get_by_label(t(own, "Name"), exact=True).first).to_have_value("Anouk de Vries", timeout=WAIT)
    phone.goto(f"/i/{anouk.secret}/decline")
    problems += axe_problems(phone)
    phone.get_by_role("button", name=t(own, "I can't come")).click()
    expect(phone.get_by_role("status")).to_be_visible(timeout=WAIT)
    problems += axe_problems(phone)
    invitee.close()
    assert invitations()[0].state == "declined"
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
