"""The door scanner in real headless Chromium with a fake camera that films real QR codes.

Chromium's --use-file-for-fake-video-capture plays a video made (with ffmpeg) from the ticket's own QR
PNG, preceded by a foreign QR code. Headless Linux Chromium has no BarcodeDetector, so the vendored jsQR
decoder does the work. The scanner must show the green verdict with the person's name, ignore the ticket
while it stays in view, never stall on the foreign code, and say "already checked in" on the next pass.
"""
import re
import subprocess

import pytest
from flask_babel import force_locale, gettext
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.auth.services import create_user
from eventapp.checkin.models import CheckinScan
from eventapp.extensions import db
from eventapp.registration.models import Registration
from eventapp.security import new_secret
from eventapp.tickets.qr import _code, qr_png

from .conftest import CHROMIUM, CHROMIUM_ARGS, CSP_LISTENER, PHONE
from .test_rsvp_browser import AXE, AXE_URL, axe_problems

pytestmark = pytest.mark.browser

TICKET_SECRET = new_secret()
DOOR_PASSWORD = "door-password-123"
FOREIGN_SECONDS, TICKET_SECONDS = 1.5, 3.5


def t(lang: str, msgid: str, **kw) -> str:
    with force_locale(lang):
        return gettext(msgid, **kw)


def _frame(png_bytes: bytes, path):
    """Put a QR image on a white 640x480 frame, as a camera would see a phone screen held up to it."""
    import io

    image = Image.open(io.BytesIO(png_bytes)).convert("RGB").resize((400, 400), Image.NEAREST)
    frame = Image.new("RGB", (640, 480), "white")
    frame.paste(image, (120, 40))
    frame.save(path)


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory):
    """A looping video: a foreign QR code (a web address), then the ticket's QR code."""
    import io

    folder = tmp_path_factory.mktemp("camera")
    foreign = io.BytesIO()
    _code("https://example.org/not-a-ticket", 10).make_image().save(foreign, format="PNG")
    _frame(foreign.getvalue(), folder / "foreign.png")
    _frame(qr_png(TICKET_SECRET), folder / "ticket.png")
    video = folder / "camera.y4m"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y",
         "-loop", "1", "-t", str(FOREIGN_SECONDS), "-i", str(folder / "foreign.png"),
         "-loop", "1", "-t", str(TICKET_SECONDS), "-i", str(folder / "ticket.png"),
         "-filter_complex", "[0:v]fps=15,format=yuv420p[a];[1:v]fps=15,format=yuv420p[b];[a][b]concat=n=2:v=1[out]",
         "-map", "[out]", "-pix_fmt", "yuv420p", str(video)],
        check=True)
    return video


@pytest.fixture
def camera_page(camera_video, live_server):
    """A phone-sized page in a Chromium whose camera films `camera_video`; page problems fail the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                  f"--use-file-for-fake-video-capture={camera_video}"])
        context = browser.new_context(viewport=PHONE, base_url=live_server, permissions=["camera"])
        context.set_default_timeout(15_000)
        problems = []
        context.expose_binding("__reportCspViolation", lambda source, text: problems.append(text))
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error}"))
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        yield page
        browser.close()
    assert not problems, problems


@pytest.fixture
def door_ticket(app, make_event, make_registration):
    make_event()
    person = make_registration(name="Çelik Öztürk", organisation="Gemeente Den Haag", participation="signatory",
                               commitments={1: "Signaleren", 2: "Oplossen", 3: "Samenwerken"},
                               suggested_partners=[{"organisation": "GGD", "contact_name": "", "email": ""}],
                               monitoring_consent=True, send_mail=False)
    person.ticket_secret = TICKET_SECRET
    create_user("door@example.org", "door", DOOR_PASSWORD, "Deur 1")
    db.session.commit()
    return person


def log_in_as_door(page):
    page.goto("/login")
    page.get_by_label(t("nl", "E-mail")).fill("door@example.org")
    page.get_by_label(t("nl", "Password")).fill(DOOR_PASSWORD)
    page.get_by_role("button", name=t("nl", "Log in")).click()
    expect(page).to_have_url(re.compile(r"/door/$"))


def wait_for_verdict(page, verdict: str, timeout: float = 20_000):
    """Wait until the full-screen verdict shows `verdict`; return its visible text."""
    page.wait_for_function(
        "v => { const e = document.getElementById('verdict'); return !e.hidden && e.dataset.verdict === v; }",
        arg=verdict, timeout=timeout)
    return page.locator("#verdict").inner_text()


def scans():
    db.session.expire_all()
    return list(db.session.execute(select(CheckinScan).order_by(CheckinScan.id)).scalars())


def test_the_camera_admits_a_real_ticket_once_then_says_already_checked_in(camera_page, door_ticket):
    page = camera_page
    log_in_as_door(page)
    text = wait_for_verdict(page, "admitted")
    assert t("nl", "Welcome") in text
    assert "Çelik Öztürk" in text and "Gemeente Den Haag" in text
    assert t("nl", "→ signing table") in text  # a signatory is sent on to the signing table
    expect(page.locator("#verdict")).to_have_class("verdict verdict-ok")

    # The ticket stays in view for seconds after the verdict: it is not sent again.
    page.wait_for_timeout(TICKET_SECONDS * 1000)
    admissions = [s for s in scans() if s.registration_id == door_ticket.id]
    assert [s.verdict for s in admissions][:1] == ["admitted"]

    # The video loops: the foreign code comes by (and does not stall the scanner), then the ticket again.
    text = wait_for_verdict(page, "already_checked_in")
    assert t("nl", "Already checked in") in text and "Çelik Öztürk" in text
    assert "Deur 1" in text  # at which entrance
    expect(page.locator("#verdict")).to_have_class("verdict verdict-bad")

    log = scans()
    verdicts = [s.verdict for s in log]
    assert verdicts.count("admitted") == 1
    assert "unknown" in verdicts  # the foreign QR code was read, refused and passed
    # One attempt per time a code comes into view, not one per video frame.
    assert len(log) <= 8, verdicts
    person = db.session.get(Registration, door_ticket.id)
    assert person.checked_in_at is not None and person.checked_in_by == "Deur 1"


def test_without_a_camera_the_page_says_why_and_the_code_field_works(page, door_ticket, live_server):
    """The shared browser has no camera permission flags: getUserMedia fails; the typed code still works."""
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    log_in_as_door(page)
    status = page.locator("#camera-status")
    expect(status).not_to_be_empty()
    assert status.inner_text() in {t("nl", "No camera found. Use the code field or a handheld scanner."),
                                   t("nl", "Camera access was refused. Allow the camera in the browser settings, or use the code field below."),
                                   t("nl", "The camera could not start. Use the code field below.")}
    assert axe_problems(page) == []

    # A handheld scanner types the QR text and Enter.
    field = page.get_by_label(t("nl", "Ticket code (handheld scanner or typing)"))
    field.fill("AK1:" + TICKET_SECRET.lower())
    field.press("Enter")
    assert "Çelik Öztürk" in wait_for_verdict(page, "admitted")
    expect(page.locator("#count-admitted")).to_have_text("1")

    # Undo a mistaken scan from the last-verdict bar, then find the person by name without accents.
    page.wait_for_function("() => document.getElementById('verdict').hidden")
    page.get_by_role("button", name=t("nl", "Undo check-in")).first.click()
    wait_for_verdict(page, "undone")
    page.get_by_label(t("nl", "Name, organisation or e-mail")).fill("celik")
    result = page.locator("#lookup-results li").first
    expect(result).to_contain_text("Çelik Öztürk")
    page.wait_for_function("() => document.getElementById('verdict').hidden")
    result.get_by_role("button", name=t("nl", "Check in")).click()
    wait_for_verdict(page, "admitted")
    assert [s.action for s in scans()] == ["scan", "undo", "lookup"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
