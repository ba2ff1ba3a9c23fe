"""The capacity rule holds end to end: 200 browsers RSVP at once through gunicorn (2 processes) for 50 seats.

test_capacity.py proves it with threads calling the service; this sends real HTTP requests (GET the form,
then POST it with its CSRF token) to a real `gunicorn --workers 2 app:app`, so two processes, each with
its own connection pool, race for the seats in the same database (the test's SQLite file, or PostgreSQL
when TEST_DATABASE_URL is set).

Each browser connects from its own loopback address (127.0.1.1, 127.0.1.2, ...): POST /register is
rate-limited per visitor address, and 200 different people come from 200 different addresses, not one.
"""
import re
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from conftest import csrf_token_from
from sqlalchemy import select

from bench.loadtest import Browser, visitor_address
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration import services
from eventapp.registration.models import CONFIRMED, WAITLISTED, Registration

pytestmark = pytest.mark.slow

# One fixed key for both workers: a CSRF token issued by one worker must be accepted by the other.
SECRET_KEY = "gunicorn-rsvp-test-secret-key-0123456789abcdef"
CLIENTS, SEATS = 200, 50
TICKET_LOCATION = re.compile(r"^(?:http://127\.0\.0\.1:\d+)?/ticket/([A-Z0-9]+)$")


def rsvp_form(token: str, i: int) -> dict:
    """Every field a browser sends for a plain attendee (empty text fields included, unticked boxes left out)."""
    form = {
        "csrf_token": token, "name": f"Deelnemer {i}", "email": f"deelnemer.{i}@example.org",
        "organisation": "Gemeente Den Haag", "organisation_type": "municipality", "function": "Beleidsadviseur",
        "participation": "attendee", "commitment_1": "", "commitment_2": "", "commitment_3": "",
        "accessibility_needs": "", "dietary_wishes": "", "photo_consent": "y", "language": "nl",
        "privacy_consent": "y",
    }
    for n in range(3):
        form.update({f"partners-{n}-organisation": "", f"partners-{n}-contact_name": "", f"partners-{n}-email": ""})
    return form


@pytest.fixture
def event_id(app, make_event):
    """The event (50 seats, registration open by the real clock), committed before gunicorn starts."""
    starts = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0) + timedelta(days=120)
    event_id = make_event(capacity=SEATS, starts_at=starts).id
    db.session.commit()  # make_event committed; end the read transaction that loading .id began
    db.session.close()
    return event_id


@pytest.fixture
def gunicorn(event_id, serve_with_gunicorn):
    """`gunicorn --workers 2 app:app` against the test database, started once the data is committed."""
    return serve_with_gunicorn(SECRET_KEY)


def test_200_browsers_rsvp_at_once_through_two_gunicorn_workers_for_50_seats(app, event_id, gunicorn):
    port, log_path = gunicorn
    barrier = threading.Barrier(CLIENTS)
    responses, errors, latencies = [None] * CLIENTS, [None] * CLIENTS, [None] * CLIENTS

    def browser_main(i):
        try:
            browser = Browser(port, visitor_address(i))
            status, _, page = browser.request("GET", "/register")
            assert status == 200, f"GET /register: {status}"
            form = rsvp_form(csrf_token_from(page), i)
            barrier.wait(timeout=180)
            started = time.monotonic()
            status, headers, _ = browser.request("POST", "/register", form)
            latencies[i] = time.monotonic() - started
            responses[i] = (status, headers.get("Location"))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported by the test
            errors[i] = exc
            barrier.abort()  # the others stop waiting instead of hanging until the timeout

    threads = [threading.Thread(target=browser_main, args=(i,), name=f"browser-{i}") for i in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a client thread hung"
    elapsed = time.monotonic() - started
    done = sorted(t for t in latencies if t is not None)
    if done:
        print(f"\n{CLIENTS} browsers via gunicorn on {db.engine.dialect.name}: {elapsed:.2f} s in all, "
              f"POST p50 {done[len(done) // 2] * 1000:.0f} ms, max {done[-1] * 1000:.0f} ms")

    first_errors = [repr(e) for e in errors if e is not None][:5]
    assert first_errors == [], f"{sum(e is not None for e in errors)} clients failed"
    assert Counter(status for status, _ in responses) == {302: CLIENTS}
    secret_by_email = {}
    for i, (_, location) in enumerate(responses):
        match = TICKET_LOCATION.match(location or "")
        assert match, f"client {i} was sent to {location!r}, not to a ticket page"
        secret_by_email[f"deelnemer.{i}@example.org"] = match.group(1)

    db.session.expire_all()
    rows = db.session.execute(
        select(Registration).where(Registration.event_id == event_id).order_by(Registration.sequence)
    ).scalars().all()
    assert len(rows) == CLIENTS
    # Each client was sent to its own registration's page.
    assert {r.email_normalised: r.manage_secret for r in rows} == secret_by_email
    assert Counter(r.status for r in rows) == {CONFIRMED: SEATS, WAITLISTED: CLIENTS - SEATS}
    assert len({r.sequence for r in rows}) == CLIENTS
    confirmed = [r for r in rows if r.status == CONFIRMED]
    waiting = [r for r in rows if r.status == WAITLISTED]
    assert max(r.sequence for r in confirmed) < min(r.sequence for r in waiting)  # arrival order decides
    assert [services.waitlist_position(r) for r in waiting] == list(range(1, CLIENTS - SEATS + 1))

    mails = db.session.execute(select(OutboxMessage.registration_id, OutboxMessage.kind)).all()
    assert len(mails) == CLIENTS
    assert Counter(kind for _, kind in mails) == {"confirmation": SEATS, "waitlisted": CLIENTS - SEATS}
    status_of = {r.id: r.status for r in rows}
    assert all((kind == "confirmation") == (status_of[rid] == CONFIRMED) for rid, kind in mails)

    log = log_path.read_text()
    assert "Traceback" not in log, log[-5000:]
    assert "WORKER TIMEOUT" not in log, log[-5000:]
