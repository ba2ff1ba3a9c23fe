"""Capacity, waitlist order, cancellation, duplicate e-mails and changes hold under simultaneous requests.

Every test releases real threads together with a Barrier; each thread has its own app context, so its
own session and database connection, like a request in a threaded server.
"""
import threading
import time
from collections import Counter

import pytest
from conftest import registration_data
from sqlalchemy import select

from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration import services
from eventapp.registration.models import (CANCELLED, CONFIRMED, WAITLISTED, Organisation, Registration,
                                             RegistrationLog)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _close_pooled_connections(app):
    """Close the connections these threads opened; the pool would keep five per test app open."""
    yield
    db.session.remove()
    db.engine.dispose()


def run_together(app, count, work):
    """Run work(i) in `count` threads released at once; return results, exceptions and wall time."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def thread_main(i):
        try:
            with app.app_context():
                try:
                    barrier.wait(timeout=60)
                    results[i] = work(i)
                finally:
                    db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported by the test
            errors[i] = exc

    threads = [threading.Thread(target=thread_main, args=(i,), name=f"worker-{i}") for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    elapsed = time.monotonic() - started
    print(f"\n{count} threads on {db.engine.dialect.name}: {elapsed:.2f} s")
    return results, errors, elapsed


def registrations(event_id):
    db.session.expire_all()
    return db.session.execute(
        select(Registration).where(Registration.event_id == event_id).order_by(Registration.sequence)
    ).scalars().all()


def waitlisted(event_id):
    return [r for r in registrations(event_id) if r.status == WAITLISTED]


def outbox_kinds():
    return Counter(db.session.execute(select(OutboxMessage.kind)).scalars())


def log_actions():
    return Counter(db.session.execute(select(RegistrationLog.action)).scalars())


def test_200_simultaneous_rsvps_for_50_seats(app, make_event, frozen_clock):
    event = make_event(capacity=50)
    event_id = event.id

    def rsvp(i):
        outcome = services.register(registration_data(name=f"Deelnemer {i}"), send_mail=True)
        return outcome.registration.id, outcome.duplicate, outcome.waitlist_position

    results, errors, _ = run_together(app, 200, rsvp)

    assert [e for e in errors if e is not None] == []
    assert not any(duplicate for _, duplicate, _ in results)
    rows = registrations(event_id)
    assert len(rows) == 200
    by_status = Counter(r.status for r in rows)
    assert by_status == {CONFIRMED: 50, WAITLISTED: 150}

    secrets = [r.ticket_secret for r in rows] + [r.manage_secret for r in rows]
    assert len(set(secrets)) == 400  # no secret twice, and no ticket secret doubles as a manage secret

    # Arrival order decides: every seat went to someone who came before everyone on the waitlist.
    confirmed = [r for r in rows if r.status == CONFIRMED]
    waiting = [r for r in rows if r.status == WAITLISTED]
    assert max(r.sequence for r in confirmed) < min(r.sequence for r in waiting)
    assert len({r.sequence for r in rows}) == 200
    positions = [services.waitlist_position(r) for r in waiting]  # `waiting` is in sequence order
    assert positions == list(range(1, 151))
    # The position each person was told (in the result and the mail) is the one they have.
    told = {rid: position for rid, _, position in results}
    assert [told[r.id] for r in waiting] == positions
    assert all(told[r.id] is None for r in confirmed)

    assert outbox_kinds() == {"confirmation": 50, "waitlisted": 150}
    mails = db.session.execute(select(OutboxMessage.registration_id, OutboxMessage.kind)).all()
    status_of = {r.id: r.status for r in rows}
    assert len({rid for rid, _ in mails}) == 200
    assert all((kind == "confirmation") == (status_of[rid] == CONFIRMED) for rid, kind in mails)
    assert log_actions() == {"registered": 200}

    # One cancellation gives its seat to waitlist number 1, and everyone behind moves up one place.
    first_waiting = waiting[0]
    promoted = services.cancel(confirmed[0])
    assert [p.id for p in promoted] == [first_waiting.id]
    db.session.expire_all()
    assert first_waiting.status == CONFIRMED and first_waiting.promoted_at == frozen_clock.now()
    assert Counter(r.status for r in registrations(event_id)) == {CONFIRMED: 50, WAITLISTED: 149, CANCELLED: 1}
    still_waiting = waitlisted(event_id)
    assert [r.id for r in still_waiting] == [r.id for r in waiting[1:]]
    assert [services.waitlist_position(r) for r in still_waiting] == list(range(1, 150))
    assert outbox_kinds() == {"confirmation": 50, "waitlisted": 150, "cancelled": 1, "promoted": 1}
    assert log_actions() == {"registered": 200, "cancelled": 1, "promoted": 1}


def test_20_simultaneous_cancels_of_one_registration_promote_exactly_one(app, make_event, make_registration,
                                                                            frozen_clock):
    event = make_event(capacity=5)
    people = [make_registration(name=f"Deelnemer {i}") for i in range(8)]
    event_id, target_id = event.id, people[0].id
    first_waiting_id = waitlisted(event_id)[0].id

    def cancel(i):
        registration = db.session.get(Registration, target_id)
        try:
            promoted = services.cancel(registration, actor=f"worker-{i}")
        except DomainError as error:
            return error.code
        return [p.id for p in promoted]

    results, errors, _ = run_together(app, 20, cancel)

    assert [e for e in errors if e is not None] == []
    successes = [r for r in results if isinstance(r, list)]
    assert successes == [[first_waiting_id]]
    assert Counter(r for r in results if isinstance(r, str)) == {"already_cancelled": 19}
    rows = {r.id: r for r in registrations(event_id)}
    assert rows[target_id].status == CANCELLED
    assert rows[first_waiting_id].status == CONFIRMED
    assert Counter(r.status for r in rows.values()) == {CONFIRMED: 5, WAITLISTED: 2, CANCELLED: 1}
    assert [services.waitlist_position(r) for r in waitlisted(event_id)] == [1, 2]
    assert log_actions() == {"registered": 8, "cancelled": 1, "promoted": 1}
    kinds = outbox_kinds()
    assert (kinds["cancelled"], kinds["promoted"]) == (1, 1)


def test_40_simultaneous_rsvps_with_one_email_make_one_registration(app, make_event, frozen_clock):
    event = make_event(capacity=50)
    event_id = event.id
    spellings = ["Piet@Example.org", "piet@example.org", " PIET@EXAMPLE.ORG ", "piet@Example.ORG"]

    def rsvp(i):
        outcome = services.register(registration_data(email=spellings[i % 4], name="Piet Jansen"), send_mail=True)
        return outcome.registration.id, outcome.duplicate

    results, errors, _ = run_together(app, 40, rsvp)

    assert [e for e in errors if e is not None] == []  # no IntegrityError, nothing that would be a 500
    rows = registrations(event_id)
    assert len(rows) == 1
    assert rows[0].email_normalised == "piet@example.org" and rows[0].status == CONFIRMED
    assert {rid for rid, _ in results} == {rows[0].id}
    assert Counter(duplicate for _, duplicate in results) == {False: 1, True: 39}
    # One reminder of the manage link, not 39: repeats within ten minutes send nothing more.
    assert outbox_kinds() == {"confirmation": 1, "already_registered": 1}
    assert log_actions() == {"registered": 1}


SIGNATORY = dict(participation="signatory", commitments={1: "Spreekuur", 2: "Scholing", 3: "Monitoring"},
                 suggested_partners=[{"organisation": "Voedselbank Haaglanden"}], monitoring_consent=True)


def test_10_simultaneous_saves_of_one_registration_all_succeed(app, make_event, make_registration, frozen_clock):
    make_event()
    target_id = make_registration(**SIGNATORY).id

    def save(i):
        data = registration_data(**SIGNATORY)
        data["commitments"] = {1: f"Spreekuur {i}", 2: "Scholing", 3: "Monitoring"}
        return services.change(db.session.get(Registration, target_id), data)

    results, errors, _ = run_together(app, 10, save)

    assert [e for e in errors if e is not None] == []  # no unique violation on the commitments
    db.session.expire_all()
    registration = db.session.get(Registration, target_id)
    assert [c.activity for c in registration.commitments] == [1, 2, 3]
    assert registration.commitment_for(1) in {f"Spreekuur {i}" for i in range(10)}
    assert log_actions()["changed"] == 10 and outbox_kinds()["changed"] == 10


def test_20_people_naming_one_new_organisation_at_once_share_it(app, make_event, make_registration, frozen_clock):
    make_event()
    people = [make_registration(name=f"Deelnemer {i}").id for i in range(20)]

    def move(i):
        data = registration_data(name=f"Deelnemer {i}", organisation=["Stichting Nieuw", "stichting  nieuw "][i % 2])
        return services.change(db.session.get(Registration, people[i]), data)

    results, errors, _ = run_together(app, 20, move)

    assert [e for e in errors if e is not None] == []  # no unique violation on the organisation name
    assert all(changed == ["organisation_name"] for changed in results)
    organisations = db.session.execute(
        select(Organisation).where(Organisation.normalised_name == "stichting nieuw")).scalars().all()
    assert len(organisations) == 1
    db.session.expire_all()
    assert {db.session.get(Registration, rid).organisation_id for rid in people} == {organisations[0].id}
