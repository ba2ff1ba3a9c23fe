"""Signing day in real headless Chromium: a signature drawn with the mouse on a tablet-sized station
appears on the projector wall (another page, never reloaded); names with markup stay text; axe-core
finds no serious or critical violation on the station, host, wall and partner pages.
"""
import io
import json

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.auth.services import create_user
from eventapp.extensions import db
from eventapp.signing import services
from eventapp.signing.models import Signature
from browser.test_rsvp_browser import AXE, AXE_URL, axe_problems, t
from test_signing import partner_named, signatory, signing_event  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
TABLET = {"width": 1024, "height": 768}
PROJECTOR = {"width": 1280, "height": 720}
PASSWORD = "een-lang-wachtwoord"
MARKUP_ORG = "<script>window.__pwned = 1</script> Stichting <b>Vet</b>"


def open_page(browser, live_server, viewport, problems):
    """A fresh page of `viewport` size; console errors and uncaught exceptions are collected as problems."""
    context = browser.new_context(viewport=viewport, base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error"
            and not msg.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    return page


def log_in(page, email, lang="nl"):
    page.goto(f"/login?lang={lang}")
    page.get_by_label(t(lang, "E-mail"), exact=True).fill(email)
    page.get_by_label(t(lang, "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t(lang, "Log in")).click()


def draw_signature(page):
    """Draw a signature-like zigzag with real mouse moves on the canvas."""
    box = page.locator("#signature-canvas").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.1, y + h * 0.7)
    page.mouse.down()
    for i, (fx, fy) in enumerate([(0.2, 0.3), (0.3, 0.75), (0.45, 0.25), (0.6, 0.7), (0.75, 0.3), (0.9, 0.6)]):
        page.mouse.move(x + w * fx, y + h * fy, steps=8)
    page.mouse.up()


def test_a_drawn_signature_appears_on_the_wall_without_reloading(browser, live_server, signatory):
    person = signatory(MARKUP_ORG, name="Marieke Bos", function="Directeur")
    create_user("tafel@example.org", "signing", PASSWORD)
    secret = services.wall_link(person.event_id).secret
    problems = []

    wall = open_page(browser, live_server, PROJECTOR, problems)
    wall.goto(f"/wall/{secret}")
    expect(wall.locator("#wall-expected")).to_have_text("1")
    expect(wall.locator("#wall-signed")).to_have_text("0")
    wall.evaluate("window.__notReloaded = true")

    station = open_page(browser, live_server, TABLET, problems)
    log_in(station, "tafel@example.org")
    expect(station).to_have_url(f"{live_server}/station")
    station.get_by_role("link", name=MARKUP_ORG).first.click()
    expect(station.get_by_label(t("nl", "Name of the signatory"))).to_have_value("Marieke Bos")
    expect(station.get_by_role("alert")).to_contain_text("Marieke Bos")  # not checked in: a warning, no block
    station.get_by_role("button", name=t("nl", "Confirm signature")).click()  # nothing drawn yet
    expect(station.locator("#sign-error")).to_have_text(t("nl", "Please draw a signature first."))
    draw_signature(station)
    station.get_by_role("button", name=t("nl", "Confirm signature")).click()
    expect(station).to_have_url(f"{live_server}/station/signed/1")

    expect(wall.locator("#wall-signed")).to_have_text("1", timeout=5_000)
    entry = wall.locator("#wall-list li").first
    expect(entry).to_contain_text(MARKUP_ORG)  # the markup is shown as text
    expect(entry).to_contain_text("Marieke Bos")
    assert wall.evaluate("window.__notReloaded === true && window.__pwned === undefined")
    assert wall.locator("#wall-list b").count() == 0

    db.session.rollback()
    record = db.session.execute(select(Signature)).scalar_one()
    drawn = json.loads(record.strokes)
    assert sum(len(stroke["points"]) for stroke in drawn) > 10
    image = Image.open(io.BytesIO(record.image_png))
    assert image.format == "PNG" and image.getbbox() is not None
    assert record.user_agent.startswith("Mozilla") and record.user_name
    assert not problems, problems


def test_the_wall_recovers_by_itself_after_the_server_was_away(browser, live_server, signatory):
    person = signatory("Gemeente Delft")
    secret = services.wall_link(person.event_id).secret
    problems = []
    wall = open_page(browser, live_server, PROJECTOR, problems)
    outage = {"on": True}
    wall.route("**/feed.json", lambda route: route.abort() if outage["on"] else route.continue_())
    wall.goto(f"/wall/{secret}")
    expect(wall.locator("#wall-offline")).to_be_visible()
    outage["on"] = False
    expect(wall.locator("#wall-offline")).to_be_hidden(timeout=10_000)
    expect(wall.locator("#wall-expected")).to_have_text("1")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_signing_pages_pass_axe(browser, live_server, signatory, lang):
    person = signatory("Gemeente Delft")
    create_user(f"org-{lang}@example.org", "organiser", PASSWORD)
    secret = services.wall_link(person.event_id).secret
    partner = partner_named("Gemeente Delft")
    problems, violations = [], []
    page = open_page(browser, live_server, {"width": 390, "height": 844}, problems)
    log_in(page, f"org-{lang}@example.org", lang)
    for url in ("/station", "/station?q=delft", f"/station/sign/{partner.id}", "/host", "/organiser/partners",
                f"/organiser/partners/{partner.id}", "/organiser/pledge", f"/wall/{secret}"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        violations += axe_problems(page)
    assert not violations, "\n".join(violations)
    assert not problems, problems


def test_sixty_signed_partners_fit_on_one_16_9_wall(browser, live_server, signatory, tmp_path):
    from test_signing import sign_for

    people = [signatory(f"Gemeente Voorbeeldstad-Noord {n:02d}", name=f"Wethouder Jansen-de Vries {n:02d}")
              for n in range(60)]
    for person in people:
        sign_for(person)
    secret = services.wall_link(people[0].event_id).secret
    problems = []
    wall = open_page(browser, live_server, PROJECTOR, problems)
    wall.goto(f"/wall/{secret}")
    expect(wall.locator("#wall-signed")).to_have_text("60")
    expect(wall.locator("#wall-list li")).to_have_count(60)
    wall.wait_for_timeout(1500)  # let the entries' fade-in finish (for the screenshot below)
    wall.screenshot(path=str(tmp_path / "wall-60.png"))
    shown = wall.locator("#wall-list").evaluate("""list => {
        const box = list.getBoundingClientRect();
        return [...list.children].every(item => item.getBoundingClientRect().bottom <= box.bottom)
            && box.bottom <= window.innerHeight
            && [...list.querySelectorAll('.wall-org')].every(name => name.scrollWidth <= name.clientWidth);
    }""")
    assert shown, f"some of the 60 names are cut off: see {tmp_path / 'wall-60.png'}"
    assert not problems, problems
