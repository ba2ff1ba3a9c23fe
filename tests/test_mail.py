"""Mail end to end: a real SMTP server receives what registrants get; nothing is lost or sent twice."""
import email
import io
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from email import policy
from pathlib import Path

import pytest
import zxingcpp
from aiosmtpd.controller import Controller
from babel.messages.pofile import read_po
from icalendar import Calendar
from markupsafe import escape
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from eventapp.auth.services import create_user
from eventapp.extensions import db
from eventapp.mail.models import QUEUED, SENT, OutboxMessage
from eventapp.mail.services import deliver
from eventapp.registration.models import CONFIRMED, WAITLISTED, Registration
from eventapp.registration.services import cancel

TITLE = "Lancering Alliantie Kinderarmoede"  # the make_event default
CATALOGS = Path(__file__).resolve().parent.parent / "eventapp" / "translations"


class SMTPServer:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self, **smtp_options):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **smtp_options)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list:
        """The messages addressed to `address`, oldest first."""
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(app):
    """The app is pointed at a mail server that is not running yet; the test may .start() it."""
    server = SMTPServer(free_port())
    app.config["MAIL_SERVER"] = "127.0.0.1"
    app.config["MAIL_PORT"] = server.port
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down):
    """A running mail server the app delivers to."""
    smtp_down.start()
    return smtp_down


def only(messages: list):
    assert len(messages) == 1, [subject_of(m) for m in messages]
    return messages[0]


def subject_of(message) -> str:
    # A long subject is folded right after "Subject:"; mail clients drop the space that unfolding leaves.
    return message["Subject"].strip()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def attachment(message, filename: str) -> bytes | None:
    for part in message.walk():
        if part.get_filename() == filename:
            return part.get_payload(decode=True)
    return None


def inline_images(message) -> list:
    return [part for part in message.walk() if part["Content-ID"]]


def assert_carries_ticket(message, registration):
    """The mail shows the QR inline and attaches a working PDF ticket and calendar file."""
    html = html_of(message)
    [qr_part] = inline_images(message)
    content_id = qr_part["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html
    # The image travels beside the HTML in multipart/related, where clients look for cid: images.
    [related] = [part for part in message.walk() if part.get_content_type() == "multipart/related"]
    assert [part.get_content_type() for part in related.iter_parts()] == ["text/html", "image/png"]
    image = Image.open(io.BytesIO(qr_part.get_payload(decode=True)))
    assert [result.text for result in zxingcpp.read_barcodes(image)] == ["AK1:" + registration.ticket_secret]

    calendar = Calendar.from_ical(attachment(message, "event.ics"))
    entry = next(iter(calendar.walk("VEVENT")))
    start = entry.decoded("dtstart")
    assert (start.hour, start.minute) == (9, 30) and str(start.tzinfo) == "Europe/Amsterdam"
    assert entry["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]

    pdf = PdfReader(io.BytesIO(attachment(message, "ticket.pdf")))
    pdf_text = "".join(page.extract_text() for page in pdf.pages).replace("’", "'")
    assert registration.name in pdf_text


def assert_carries_no_ticket(message):
    assert inline_images(message) == [] and "cid:" not in html_of(message)
    assert [part.get_filename() for part in message.walk() if part.get_filename()] == []


def outbox_rows() -> list[OutboxMessage]:
    db.session.rollback()  # see what other sessions (the CLI, other threads) committed
    return db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def test_confirmation_mail_arrives_with_qr_pdf_and_calendar_file(app, make_event, make_registration,
                                                                  frozen_clock, smtp):
    make_event()  # starts 2027-03-26 08:30 UTC
    registration = make_registration(name="Çiğdem Öztürk-van 't Hof", language="en")

    message = only(smtp.to(registration.email))
    assert subject_of(message) == f"Your registration and ticket: {TITLE}"
    assert message.is_multipart()
    assert message["From"].addresses[0].addr_spec == "noreply@example.org"
    assert "Çiğdem Öztürk-van 't Hof" in text_of(message)
    assert "Çiğdem Öztürk-van &#39;t Hof" in html_of(message)
    assert registration.manage_secret in text_of(message)
    assert "09:30" in text_of(message) and "09:30" in html_of(message)
    assert_carries_ticket(message, registration)
    [row] = outbox_rows()
    assert (row.status, row.attempts, row.last_error) == (SENT, 1, None)


def test_mail_server_down_loses_nothing_and_outbox_send_delivers_each_mail_once(
        app, runner, make_event, make_registration, frozen_clock, smtp_down):
    make_event()
    addresses = [f"deelnemer{i}@example.org" for i in range(20)]
    for i, address in enumerate(addresses):
        make_registration(name=f"Deelnemer {i}", email=address, language="en")

    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 20
    assert db.session.scalar(select(func.count()).select_from(Registration)
                             .where(Registration.status == CONFIRMED)) == 20
    rows = outbox_rows()
    assert sorted(row.recipient for row in rows) == sorted(addresses)
    assert all(row.status == QUEUED and row.attempts == 1 and row.last_error for row in rows)

    smtp_down.start()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 20, failed 0" in result.output
    assert Counter(m["To"] for m in smtp_down.messages) == Counter(addresses)
    assert all(row.status == SENT for row in outbox_rows())

    again = runner.invoke(args=["outbox", "send"])
    assert again.exit_code == 0, again.output
    assert "Sent 0, failed 0" in again.output
    assert len(smtp_down.messages) == 20


def test_two_senders_at_once_deliver_each_mail_exactly_once(app, make_event, make_registration, frozen_clock, smtp):
    make_event()
    app.config["MAIL_SERVER"] = None  # register first, so that a batch waits in the outbox
    addresses = [f"gast{i}@example.org" for i in range(8)]
    for address in addresses:
        make_registration(email=address, language="en")
    assert smtp.messages == [] and all(row.status == QUEUED for row in outbox_rows())
    app.config["MAIL_SERVER"] = "127.0.0.1"

    barrier = threading.Barrier(2)
    counts, errors = [None, None], []

    def sender(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                counts[i] = deliver()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and not any(thread.is_alive() for thread in threads)
    assert Counter(m["To"] for m in smtp.messages) == Counter(addresses)
    assert counts[0]["sent"] + counts[1]["sent"] == len(addresses)
    assert all(row.status == SENT and row.attempts == 1 for row in outbox_rows())


def test_waitlist_mail_then_cancellation_gives_the_seat_and_ticket_to_the_next(
        app, make_event, make_registration, frozen_clock, smtp):
    make_event(capacity=1)
    first = make_registration(name="Eerste Aanmelder", language="en")
    second = make_registration(name="Tweede Aanmelder", language="en")
    assert (first.status, second.status) == (CONFIRMED, WAITLISTED)

    waitlisted = only(smtp.to(second.email))
    assert subject_of(waitlisted) == f"You are on the waitlist: {TITLE}"
    assert "on the waitlist, at number 1." in text_of(waitlisted)
    assert "at number 1." in html_of(waitlisted)
    assert_carries_no_ticket(waitlisted)

    cancel(first)
    to_first, to_second = smtp.to(first.email), smtp.to(second.email)
    assert len(to_first) == 2 and len(to_second) == 2
    cancelled = to_first[-1]
    assert subject_of(cancelled) == f"Your registration has been cancelled: {TITLE}"
    assert "ticket is no longer valid" in text_of(cancelled)
    assert_carries_no_ticket(cancelled)
    promoted = to_second[-1]
    assert subject_of(promoted) == f"A seat has become free for you: {TITLE}"
    assert "a seat has become free and it is yours" in text_of(promoted)
    db.session.refresh(second)
    assert second.status == CONFIRMED
    assert_carries_ticket(promoted, second)


def catalog_translation(language: str, msgid: str) -> str:
    """The translation of `msgid` in the language's messages.po; "" while it is untranslated."""
    with open(CATALOGS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        message = read_po(po).get(msgid)
    return message.string if message is not None and not message.fuzzy else ""


def test_mail_is_in_the_registrants_language(app, make_event, make_registration, frozen_clock, smtp):
    make_event()
    english = only(smtp.to(make_registration(name="Sam Jones", language="en").email))
    dutch = only(smtp.to(make_registration(name="Sanne de Jong", language="nl").email))

    assert subject_of(english) == f"Your registration and ticket: {TITLE}"
    assert "Dear Sam Jones," in text_of(english)
    assert "Thank you for registering." in text_of(english)
    assert "Friday, March 26, 2027" in text_of(english) and '<html lang="en">' in html_of(english)
    # Dates and the page language come from CLDR and the locale, not from the catalog: Dutch today.
    assert "vrijdag 26 maart 2027" in text_of(dutch) and '<html lang="nl">' in html_of(dutch)
    assert "Friday" not in text_of(dutch)

    # Dutch wording comes from messages.po, which translators are filling in: each check below holds
    # as soon as its msgid is translated there (and compiled); until then Dutch mails show the msgid.
    subject_nl = catalog_translation("nl", "Your registration and ticket: %(title)s")
    if subject_nl:
        assert subject_of(dutch) == subject_nl % {"title": TITLE} != subject_of(english)
    greeting_nl = catalog_translation("nl", "Dear %(name)s,")
    if greeting_nl:
        assert greeting_nl % {"name": "Sanne de Jong"} in text_of(dutch)
    thanks_nl = catalog_translation("nl", "Thank you for registering. You have a seat: your ticket is attached as "
                                          "a PDF, with a calendar file.")
    if thanks_nl:
        assert thanks_nl in text_of(dutch)


def test_mail_html_escapes_what_the_registrant_typed(app, make_event, make_registration, frozen_clock, smtp):
    make_event()
    registration = make_registration(name="<script>alert(1)</script>", language="en")
    message = only(smtp.to(registration.email))
    html = html_of(message)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "Dear <script>alert(1)</script>," in text_of(message)  # plain text shows it as typed


def test_without_mail_server_mail_waits_in_the_outbox_for_organisers(
        app, client, runner, post_form, make_event, make_registration, frozen_clock):
    assert app.config["MAIL_SERVER"] is None
    make_event()
    registration = make_registration(name="Çiğdem Öztürk", language="en")
    [row] = outbox_rows()
    assert (row.recipient, row.status, row.attempts) == (registration.email, QUEUED, 0)

    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert "MAIL_SERVER is not set" in result.output
    [row] = outbox_rows()
    assert (row.status, row.attempts) == (QUEUED, 0)

    assert client.get("/organiser/outbox/").status_code == 302  # not for the public
    create_user("tessa@example.org", "organiser", "lang-genoeg-wachtwoord")
    login = post_form("/login", {"email": "tessa@example.org", "password": "lang-genoeg-wachtwoord"})
    assert login.status_code == 302

    listing = client.get("/organiser/outbox/").get_data(as_text=True)
    assert registration.email in listing and str(escape(row.subject)) in listing and "queued" in listing
    detail = client.get(f"/organiser/outbox/{row.id}")
    assert detail.status_code == 200
    page = detail.get_data(as_text=True)
    assert str(escape(row.text)) in page
    assert "Dear Çiğdem Öztürk," in page and registration.manage_secret in page
    assert "ticket.pdf" in page and "event.ics" in page


@pytest.fixture(scope="module")
def impostor_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no public authority vouches for, as an impostor would have."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize("setting", ["MAIL_USE_TLS", "MAIL_USE_SSL"])
def test_tls_checks_the_mail_servers_certificate(app, runner, make_event, make_registration, frozen_clock,
                                                 smtp_down, impostor_certificate, monkeypatch, setting):
    cert, key = impostor_certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    if setting == "MAIL_USE_TLS":
        smtp_down.start(tls_context=tls, require_starttls=True)  # STARTTLS, usually port 587
    else:
        smtp_down.start(ssl_context=tls)  # TLS from the first byte, usually port 465
    app.config[setting] = True
    make_event()

    # An unknown certificate could be anyone's: the mail (and the login password) must not go to it.
    registration = make_registration(language="en")
    assert smtp_down.messages == []
    [row] = outbox_rows()
    assert row.status == QUEUED and "CERTIFICATE_VERIFY_FAILED" in row.last_error

    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the server's certificate is now trusted
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    only(smtp_down.to(registration.email))
    assert [row.status for row in outbox_rows()] == [SENT]


class _RefusingHandler:
    """An SMTP server that refuses every recipient for good (550), like a mailbox that does not exist."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"


def test_a_permanent_refusal_marks_the_mail_failed_instead_of_retrying_forever(
        app, runner, make_event, make_registration, frozen_clock):
    port = free_port()
    controller = Controller(_RefusingHandler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        make_event()
        make_registration(email="niemand@example.org")
        [row] = outbox_rows()
        assert row.status == "failed" and row.attempts == 1 and "550" in row.last_error
        result = runner.invoke(args=["outbox", "send"])
        assert "Sent 0, failed 0" in result.output  # a failed mail is not tried again
    finally:
        controller.stop()


def test_background_delivery_after_commit_reaches_the_server(app, make_event, make_registration, frozen_clock, smtp):
    """The production default: the request returns at once, a thread delivers after commit."""
    import time

    app.config["MAIL_DELIVER_IN_BACKGROUND"] = True
    make_event()
    registration = make_registration()
    deadline = time.monotonic() + 20
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m["To"] for m in smtp.messages] == [registration.email]
