"""The ticket in its forms: QR (PNG and SVG), PDF and calendar file, reached only by the manage secret."""
import io
from datetime import datetime

import zxingcpp
from icalendar import Calendar
from PIL import Image
from pypdf import PdfReader

from eventapp.security import SECRET_ALPHABET, clean_secret, new_secret, qr_payload


def test_qr_png_decodes_to_prefixed_ticket_secret_only(client, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration(name="Renée van 't Hof")
    response = client.get(f"/ticket/{registration.manage_secret}/qr.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.width >= 290  # large enough to scan from a phone held at 30 cm
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == [f"AK1:{registration.ticket_secret}"]
    assert registration.name not in decoded[0] and str(registration.id) != decoded[0][4:]


def test_manage_page_shows_qr_svg_and_details(client, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration(name="Çiğdem Öztürk")
    page = client.get(f"/ticket/{registration.manage_secret}").get_data(as_text=True)
    assert f"/ticket/{registration.manage_secret}/qr.svg" in page
    assert "Çiğdem Öztürk" in page
    svg = client.get(f"/ticket/{registration.manage_secret}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data


def test_ics_has_event_start_in_amsterdam(client, make_event, make_registration, frozen_clock):
    make_event(starts_at=datetime(2027, 3, 26, 8, 30))
    registration = make_registration()
    response = client.get(f"/ticket/{registration.manage_secret}/event.ics")
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    entry = next(c for c in calendar.walk("VEVENT"))
    start = entry.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert (start.hour, start.minute) == (9, 30)
    assert any(c.name == "VTIMEZONE" for c in calendar.walk())
    assert registration.manage_secret in entry["url"]


def test_pdf_ticket_opens_and_holds_name_and_organisation(client, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration(name="Zoë d'Ancona", organisation="<b>Zorg & Welzijn</b>")
    response = client.get(f"/ticket/{registration.manage_secret}/ticket.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Zoë d'Ancona" in text or "Zoë d’Ancona" in text
    assert "<b>Zorg & Welzijn</b>" in text  # printed literally, not interpreted as HTML


def test_ticket_urls_take_the_manage_secret_not_the_ticket_secret(client, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    assert client.get(f"/ticket/{registration.ticket_secret}").status_code == 404
    assert client.get(f"/ticket/{registration.id}").status_code == 404


def test_secrets_are_long_random_and_free_of_look_alikes():
    secrets_seen = {new_secret() for _ in range(2000)}
    assert len(secrets_seen) == 2000
    for secret in list(secrets_seen)[:100]:
        assert len(secret) == 26 and set(secret) <= set(SECRET_ALPHABET)
    assert not set("0O1IL") & set(SECRET_ALPHABET)
    secret = new_secret()
    assert clean_secret(qr_payload(secret)) == secret
    assert clean_secret(" ak1:" + secret.lower() + " ") == secret


def test_only_a_confirmed_registration_has_a_qr_or_pdf_ticket(client, make_event, make_registration, frozen_clock):
    from eventapp.registration.services import cancel

    make_event(capacity=1)
    confirmed = make_registration()
    waiting = make_registration()
    for path in ("qr.svg", "qr.png", "ticket.pdf"):
        assert client.get(f"/ticket/{waiting.manage_secret}/{path}").status_code == 404
    cancel(confirmed)  # the seat goes to `waiting`
    for path in ("qr.svg", "qr.png", "ticket.pdf"):
        assert client.get(f"/ticket/{confirmed.manage_secret}/{path}").status_code == 404
        assert client.get(f"/ticket/{waiting.manage_secret}/{path}").status_code == 200


def test_register_before_any_event_exists_says_so_instead_of_failing(client):
    response = client.get("/register?lang=en")
    assert response.status_code == 503
    assert "No event has been set up yet." in response.get_data(as_text=True)
