"""Exactly-once admission holds end to end: simultaneous scans of one ticket through gunicorn (2 processes).

The door's rule is one conditional UPDATE (checkin.services.check_in). These tests send real HTTP requests
with a device's bearer token to a real `gunicorn --workers 2 app:app`, so two processes, each with its own
connection pool, race for the same ticket in the same database (the test's SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set). A Barrier releases every scan of a ticket at the same moment.
"""
import http.client
import json
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from bench.loadtest import HOST
from eventapp.auth.devices import create_device_with_token
from eventapp.checkin.models import CheckinScan
from eventapp.extensions import db
from eventapp.registration.models import CONFIRMED, Registration
from eventapp.security import qr_payload

pytestmark = pytest.mark.slow

SECRET_KEY = "gunicorn-checkin-test-secret-key-0123456789abcdef"
TICKETS, SCANS_PER_TICKET, CLIENTS = 200, 8, 16
DEVICE_NAME = "Ingang 1"


def post_checkin(port: int, token: str, body: dict, timeout: float = 60) -> tuple[int, dict | str]:
    """POST /api/v1/checkin on a fresh connection (sync workers close it anyway); return (status, JSON or text)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", "/api/v1/checkin", body=json.dumps(body),
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    try:
        return response.status, json.loads(text)
    except ValueError:
        return response.status, text


@pytest.fixture(autouse=True)
def _close_pooled_connections(app):
    yield
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def door(app, make_event, make_registration):
    """An event with TICKETS confirmed registrations and a door device; returns (token, [ticket secrets])."""
    make_event(capacity=TICKETS + 10)
    secrets = [make_registration(name=f"Deelnemer {i}", send_mail=False).ticket_secret for i in range(TICKETS)]
    _device, token = create_device_with_token(DEVICE_NAME)
    db.session.commit()
    db.session.close()  # no open read transaction while gunicorn writes
    return token, secrets


@pytest.fixture
def gunicorn(door, serve_with_gunicorn):
    """`gunicorn --workers 2 app:app` against the test database, started once the data is committed."""
    return serve_with_gunicorn(SECRET_KEY)


def run_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target, args=(i,), name=f"scanner-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a client thread hung"


def assert_clean_log(log_path) -> None:
    log = log_path.read_text()
    assert "Traceback" not in log, log[-5000:]
    assert "WORKER TIMEOUT" not in log, log[-5000:]


def registrations() -> list[Registration]:
    db.session.expire_all()
    return db.session.execute(select(Registration).order_by(Registration.id)).scalars().all()


def test_each_of_200_tickets_scanned_8_times_at_once_is_admitted_exactly_once(app, door, gunicorn):
    token, secrets = door
    port, log_path = gunicorn
    groups = CLIENTS // SCANS_PER_TICKET  # tickets in flight at any moment
    # Threads g*8 .. g*8+7 form group g; they scan tickets g, g+groups, g+2*groups, ... and meet at their
    # group's barrier before each one, so the 8 scans of a ticket leave together.
    barriers = [threading.Barrier(SCANS_PER_TICKET) for _ in range(groups)]
    answers = {}  # (ticket index, thread) -> (status, body)
    errors = []
    latencies = []

    def scanner(i):
        group, barrier = i // SCANS_PER_TICKET, barriers[i // SCANS_PER_TICKET]
        try:
            for ticket in range(group, TICKETS, groups):
                barrier.wait(timeout=120)
                started = time.monotonic()
                answers[ticket, i] = post_checkin(port, token, {"secret": qr_payload(secrets[ticket])})
                latencies.append(time.monotonic() - started)
        except BaseException as exc:  # noqa: BLE001 - every failure is reported by the test
            errors.append(repr(exc))
            barrier.abort()  # the rest of the group stops waiting instead of hanging

    started = time.monotonic()
    run_threads(CLIENTS, scanner)
    elapsed = time.monotonic() - started
    latencies.sort()
    if latencies:
        print(f"\n{len(latencies)} scans via gunicorn on {db.engine.dialect.name}: {elapsed:.2f} s, "
              f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")

    assert errors[:5] == [], f"{len(errors)} client threads failed"
    assert len(answers) == TICKETS * SCANS_PER_TICKET
    assert Counter(status for status, _ in answers.values()) == {200: TICKETS * SCANS_PER_TICKET}
    verdicts = Counter(body["verdict"] for _, body in answers.values())
    assert verdicts == {"admitted": TICKETS, "already_checked_in": TICKETS * (SCANS_PER_TICKET - 1)}
    for ticket in range(TICKETS):
        mine = [answers[ticket, i]
                for i in range(CLIENTS) if (ticket, i) in answers]
        assert Counter(body["verdict"] for _, body in mine) == {"admitted": 1, "already_checked_in": 7}, ticket
        # Every answer, the loser's too, tells the door when and where the holder came in: the same moment.
        assert len({(body["checked_in_at"], body["checked_in_by"]) for _, body in mine}) == 1
        assert mine[0][1]["checked_in_by"] == DEVICE_NAME

    rows = registrations()
    assert len(rows) == TICKETS and all(r.status == CONFIRMED for r in rows)
    assert all(r.checked_in_at is not None and r.checked_in_by == DEVICE_NAME for r in rows)
    scans = db.session.execute(select(CheckinScan.registration_id, CheckinScan.verdict)).all()
    assert len(scans) == TICKETS * SCANS_PER_TICKET
    per_registration = Counter(registration_id for registration_id, _ in scans)
    assert per_registration == {r.id: SCANS_PER_TICKET for r in rows}
    admitted_ids = [registration_id for registration_id, verdict in scans if verdict == "admitted"]
    assert sorted(admitted_ids) == sorted(r.id for r in rows)  # one admission in the log per person
    assert Counter(verdict for _, verdict in scans) == verdicts
    assert_clean_log(log_path)


def test_one_request_sent_4_times_at_once_with_one_nonce_is_one_admission(app, door, gunicorn):
    token, secrets = door
    port, log_path = gunicorn
    repeats, tickets = 4, 10  # ten tickets, each sent four times at once with its own nonce
    barrier = threading.Barrier(repeats)
    answers, errors = {}, []

    def scanner(i):
        try:
            for ticket in range(tickets):
                body = {"secret": qr_payload(secrets[ticket]), "nonce": f"scan-{ticket}-7f3a9c"}
                barrier.wait(timeout=120)
                answers[ticket, i] = post_checkin(port, token, body)
        except BaseException as exc:  # noqa: BLE001
            errors.append(repr(exc))
            barrier.abort()

    run_threads(repeats, scanner)

    assert errors[:5] == []
    assert len(answers) == repeats * tickets
    assert Counter(status for status, _ in answers.values()) == {200: repeats * tickets}
    for ticket in range(tickets):
        mine = [answers[ticket, i][1] for i in range(repeats)]
        assert [body["verdict"] for body in mine] == ["admitted"] * repeats, ticket
        assert sorted(body["replayed"] for body in mine) == [False] + [True] * (repeats - 1), ticket
        assert len({(body["checked_in_at"], body["checked_in_by"]) for body in mine}) == 1

    by_secret = {r.ticket_secret: r for r in registrations()}
    for ticket in range(tickets):
        registration = by_secret[secrets[ticket]]
        assert registration.checked_in_at is not None and registration.checked_in_by == DEVICE_NAME
        logged = db.session.execute(
            select(CheckinScan.nonce, CheckinScan.verdict).where(CheckinScan.registration_id == registration.id)
        ).all()
        assert logged == [(f"scan-{ticket}-7f3a9c", "admitted")]
    assert db.session.scalar(select(func.count()).select_from(CheckinScan)) == tickets
    assert sum(r.checked_in_at is not None for r in by_secret.values()) == tickets
    assert_clean_log(log_path)
