"""The RSVP rules, called as services: seats and waitlist, secrets, duplicates, signatories, changes, logs."""
import json
from datetime import datetime, timedelta

import pytest
from conftest import FROZEN_NOW, registration_data
from sqlalchemy import select

from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration import services
from eventapp.registration.models import (CANCELLED, CONFIRMED, WAITLISTED, Organisation, Registration,
                                          RegistrationLog)
from eventapp.security import SECRET_ALPHABET, SECRET_LENGTH, clean_secret

SIGNATORY = dict(participation="signatory", commitments={1: "Spreekuur", 2: "Scholing", 3: "Monitoring"},
                 suggested_partners=[{"organisation": "Voedselbank Haaglanden", "contact_name": "", "email": ""}],
                 monitoring_consent=True)


def mails(kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.execute(query).scalars().all()


def log_of(registration):
    return db.session.execute(
        select(RegistrationLog.action, RegistrationLog.actor, RegistrationLog.at)
        .where(RegistrationLog.registration_id == registration.id).order_by(RegistrationLog.id)
    ).all()


def test_confirmed_while_seats_are_left_then_waitlisted(make_event, frozen_clock):
    make_event(capacity=2)
    outcomes = [services.register(registration_data()) for _ in range(4)]
    assert [o.registration.status for o in outcomes] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert [o.waitlist_position for o in outcomes] == [None, None, 1, 2]
    assert [m.kind for m in mails()] == ["confirmation", "confirmation", "waitlisted", "waitlisted"]
    assert "nummer 1" in mails("waitlisted")[0].text  # Dutch by default, with the place in the queue


def test_secrets_are_long_random_distinct_and_free_of_look_alikes(make_event, make_registration, frozen_clock):
    make_event()
    people = [make_registration() for _ in range(20)]
    secrets = [p.ticket_secret for p in people] + [p.manage_secret for p in people]
    for secret in secrets:
        assert len(secret) == SECRET_LENGTH == 26
        assert set(secret) <= set(SECRET_ALPHABET)
    assert len(set(secrets)) == 40
    assert all(p.ticket_secret != p.manage_secret for p in people)


def test_clean_secret_forgives_prefix_case_and_spaces_and_refuses_garbage(make_event, make_registration,
                                                                         frozen_clock):
    make_event()
    secret = make_registration().manage_secret
    spaced = " ".join(secret[i:i + 4] for i in range(0, 26, 4))
    for typed in (secret, "AK1:" + secret, secret.lower(), "ak1:" + secret.lower(), f"  {spaced.lower()} "):
        assert clean_secret(typed) == secret, typed
    assert services.find_by_manage_secret(spaced.lower()).manage_secret == secret
    garbage = [None, "", "   ", "AK1:", "hello", secret[:-1], secret + "A", "O" + secret[1:], "0" + secret[1:],
               "AK2:" + secret, secret + "\x00", "x" * 10_000, ("AK1:" + secret) * 400]
    for typed in garbage:
        assert clean_secret(typed) is None, (typed or "")[:40]
    assert services.find_by_manage_secret("x" * 10_000) is None


def test_second_rsvp_with_same_email_points_to_the_first(make_event, frozen_clock):
    make_event()
    first = services.register(registration_data(email="Anouk.de.Vries@Example.org", name="Anouk de Vries"))
    again = services.register(registration_data(email=" anouk.de.vries@EXAMPLE.org ", name="Iemand Anders"))
    assert again.duplicate and not first.duplicate
    assert again.registration.id == first.registration.id
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 1
    assert again.registration.name == "Anouk de Vries"  # nothing was overwritten
    (mail,) = mails("already_registered")
    assert mail.registration_id == first.registration.id
    link = f"http://testserver.local/ticket/{first.registration.manage_secret}"
    assert link in mail.text and link in mail.html
    assert len(mails()) == 2


def test_rsvp_after_cancelling_reuses_the_row_and_takes_a_seat_again(make_event, frozen_clock):
    make_event(capacity=1)
    first = services.register(registration_data(email="piet@example.org")).registration
    services.cancel(first)
    again = services.register(registration_data(email="Piet@Example.org"))
    assert not again.duplicate
    assert again.registration.id == first.id and again.registration.status == CONFIRMED
    assert again.registration.cancelled_at is None
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 1
    assert [action for action, _, _ in log_of(first)] == ["registered", "cancelled", "registered"]


def test_rsvp_after_cancelling_joins_the_back_of_the_waitlist(make_event, frozen_clock):
    make_event(capacity=1)
    piet = services.register(registration_data(email="piet@example.org")).registration
    kees = services.register(registration_data(email="kees@example.org")).registration
    assert services.cancel(piet) == [kees]
    marie = services.register(registration_data(email="marie@example.org")).registration
    again = services.register(registration_data(email="piet@example.org"))
    assert again.registration.id == piet.id
    assert again.registration.status == WAITLISTED and again.waitlist_position == 2
    assert services.waitlist_position(marie) == 1


@pytest.mark.parametrize("missing, code, field", [
    ({"commitments": {1: "Spreekuur", 2: " ", 3: "Monitoring"}}, "commitment_missing", "commitment_2"),
    ({"commitments": {}}, "commitment_missing", "commitment_1"),
    ({"suggested_partners": []}, "partner_missing", "partners"),
    ({"suggested_partners": [{"organisation": "  "}]}, "partner_missing", "partners"),
    ({"monitoring_consent": False}, "monitoring_consent_missing", "monitoring_consent"),
])
def test_signatory_must_bring_commitments_partner_and_monitoring_consent(make_event, frozen_clock, missing, code,
                                                                          field):
    make_event()
    with pytest.raises(DomainError) as refusal:
        services.register(registration_data(**{**SIGNATORY, **missing}))
    assert refusal.value.code == code and refusal.value.field == field
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 0
    assert mails() == []


def test_signatory_with_everything_is_registered_with_commitments_and_partner(make_event, frozen_clock):
    make_event()
    registration = services.register(registration_data(**SIGNATORY)).registration
    assert [c.text for c in registration.commitments] == ["Spreekuur", "Scholing", "Monitoring"]
    assert [p.organisation for p in registration.suggested_partners] == ["Voedselbank Haaglanden"]


def test_attendee_needs_no_commitments(make_event, frozen_clock):
    make_event()
    assert services.register(registration_data(participation="attendee")).registration.commitments == []


def test_privacy_consent_is_required(make_event, frozen_clock):
    make_event()
    with pytest.raises(DomainError) as refusal:
        services.register(registration_data(privacy_consent=False))
    assert refusal.value.code == "privacy_consent_missing"


def test_registration_closed_after_the_closing_time(make_event, frozen_clock):
    make_event(registration_closes_at=FROZEN_NOW - timedelta(minutes=1))
    with pytest.raises(DomainError) as refusal:
        services.register(registration_data())
    assert refusal.value.code == "registration_closed"
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 0


def test_registration_closed_once_the_event_has_started(make_event, frozen_clock):
    event = make_event(starts_at=datetime(2027, 3, 26, 8, 30))  # no closing time set
    frozen_clock.freeze(event.starts_at)
    with pytest.raises(DomainError) as refusal:
        services.register(registration_data())
    assert refusal.value.code == "registration_closed"
    frozen_clock.freeze(event.starts_at - timedelta(seconds=1))
    assert services.register(registration_data()).registration.status == CONFIRMED


def test_spellings_of_one_organisation_map_to_one_row(make_event, frozen_clock):
    make_event()
    people = [services.register(registration_data(organisation=name)).registration
              for name in ("Gemeente Den Haag", "gemeente  den haag", "Gemeente Den Haag ", "GEMEENTE DEN HAAG")]
    organisations = db.session.execute(select(Organisation)).scalars().all()
    assert len(organisations) == 1
    assert organisations[0].name == "Gemeente Den Haag" and organisations[0].normalised_name == "gemeente den haag"
    assert {p.organisation_id for p in people} == {organisations[0].id}


def test_change_updates_details_logs_and_mails(make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration(name="Anouk de Vries", function="Beleidsadviseur")
    frozen_clock.freeze(FROZEN_NOW + timedelta(days=1))
    changed = services.change(registration, registration_data(
        name="Anouk de Vries-Bakker", function="Wethouder", dietary_wishes="vegetarisch",
        organisation="Gemeente Rotterdam"))
    assert changed == sorted(["name", "function", "dietary_wishes", "organisation_name"])
    db.session.expire_all()
    assert (registration.name, registration.function, registration.dietary_wishes) == (
        "Anouk de Vries-Bakker", "Wethouder", "vegetarisch")
    assert registration.organisation.name == "Gemeente Rotterdam"
    assert registration.updated_at == FROZEN_NOW + timedelta(days=1)
    entry = db.session.execute(select(RegistrationLog).where(RegistrationLog.action == "changed")).scalar_one()
    assert (entry.registration_id, entry.actor, entry.at) == (registration.id, "registrant", registration.updated_at)
    assert json.loads(entry.detail) == {
        "name": ["Anouk de Vries", "Anouk de Vries-Bakker"], "function": ["Beleidsadviseur", "Wethouder"],
        "dietary_wishes": ["", "vegetarisch"], "organisation_name": ["Gemeente Den Haag", "Gemeente Rotterdam"]}
    (mail,) = mails("changed")
    assert mail.registration_id == registration.id and mail.recipient == registration.email


def test_change_of_a_signatory_replaces_the_commitments(make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration(**SIGNATORY)
    services.change(registration, registration_data(**{**SIGNATORY, "commitments": {1: "Nieuw", 2: "Scholing",
                                                                                      3: "Monitoring"}}))
    db.session.expire_all()
    assert [(c.activity, c.text) for c in registration.commitments] == [
        (1, "Nieuw"), (2, "Scholing"), (3, "Monitoring")]


def test_change_keeps_the_signatory_rules(make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    with pytest.raises(DomainError) as refusal:
        services.change(registration, registration_data(participation="signatory"))
    assert refusal.value.code == "commitment_missing"


def test_a_cancelled_registration_cannot_be_changed(make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    services.cancel(registration)
    with pytest.raises(DomainError) as refusal:
        services.change(registration, registration_data(name="Iemand Anders"))
    assert refusal.value.code == "cancelled"
    assert mails("changed") == []


def test_change_sees_a_cancellation_made_elsewhere(app, make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    with app.app_context():  # another request, with its own session, cancels in the meantime
        services.cancel(db.session.get(Registration, registration.id))
        db.session.remove()
    with pytest.raises(DomainError) as refusal:
        services.change(registration, registration_data(name="Iemand Anders"))
    assert refusal.value.code == "cancelled"


def test_cancelling_twice_is_refused(make_event, make_registration, frozen_clock):
    make_event()
    registration = make_registration()
    services.cancel(registration)
    with pytest.raises(DomainError) as refusal:
        services.cancel(registration)
    assert refusal.value.code == "already_cancelled"


def test_register_cancel_and_promote_each_leave_a_log_row(make_event, frozen_clock):
    make_event(capacity=1)
    seated = services.register(registration_data()).registration
    waiting = services.register(registration_data()).registration
    frozen_clock.freeze(FROZEN_NOW + timedelta(hours=2))
    services.cancel(seated, actor="organiser@example.org")
    later = FROZEN_NOW + timedelta(hours=2)
    assert log_of(seated) == [("registered", "registrant", FROZEN_NOW), ("cancelled", "organiser@example.org", later)]
    assert log_of(waiting) == [("registered", "registrant", FROZEN_NOW), ("promoted", "system", later)]
    details = db.session.execute(select(RegistrationLog.detail).where(RegistrationLog.action == "registered")
                                 .order_by(RegistrationLog.id)).scalars().all()
    assert details == [CONFIRMED, WAITLISTED]
    db.session.expire_all()
    assert (seated.status, seated.cancelled_at) == (CANCELLED, later)
    assert (waiting.status, waiting.promoted_at) == (CONFIRMED, later)
    assert [m.kind for m in mails()] == ["confirmation", "waitlisted", "cancelled", "promoted"]


def test_rsvp_after_cancelling_gets_a_fresh_ticket_so_the_old_one_stays_invalid(make_event, frozen_clock):
    make_event()
    first = services.register(registration_data(email="piet@example.org")).registration
    old_ticket, manage = first.ticket_secret, first.manage_secret
    services.cancel(first)
    again = services.register(registration_data(email="piet@example.org")).registration
    assert again.ticket_secret != old_ticket
    assert again.manage_secret == manage  # the links in earlier mails keep working


def test_a_newcomer_does_not_jump_the_waitlist_when_seats_free_up(make_event, frozen_clock):
    event = make_event(capacity=1)
    services.register(registration_data(email="first@example.org"))
    waiting = services.register(registration_data(email="waiting@example.org")).registration
    event.capacity = 2  # e.g. a bigger room: one seat frees up without a cancellation
    db.session.commit()
    newcomer = services.register(registration_data(email="new@example.org")).registration
    assert waiting.status == CONFIRMED and waiting.promoted_at is not None
    assert newcomer.status == WAITLISTED
    assert [m.recipient for m in mails("promoted")] == ["waiting@example.org"]


def test_registration_before_it_opens_is_refused_with_its_own_code(make_event, frozen_clock):
    make_event(registration_opens_at=FROZEN_NOW + timedelta(days=1))
    with pytest.raises(DomainError) as refusal:
        services.register(registration_data())
    assert refusal.value.code == "registration_not_open"


def test_the_organisation_and_type_are_kept_as_each_person_typed_them(make_event, make_registration, frozen_clock):
    make_event()
    first = make_registration(organisation="Gemeente Den Haag", organisation_type="municipality")
    second = make_registration(organisation="GEMEENTE DEN HAAG", organisation_type="company")
    assert first.organisation_id == second.organisation_id  # matched for per-organisation views
    assert (second.organisation_name, second.organisation_type) == ("GEMEENTE DEN HAAG", "company")
    changed = services.change(first, registration_data(organisation="Gemeente Den Haag",
                                                       organisation_type="national_government"))
    assert changed == ["organisation_type"]
    db.session.expire_all()
    assert first.organisation_type == "national_government"


def test_saving_an_unchanged_form_neither_logs_nor_mails(make_event, make_registration, frozen_clock):
    make_event()
    data = registration_data(**SIGNATORY)
    registration = services.register(data).registration
    assert services.change(registration, data) == []
    assert mails("changed") == []
    assert [action for action, _, _ in log_of(registration)] == ["registered"]


def test_an_edit_keeps_the_earlier_commitment_text_in_the_log(make_event, frozen_clock):
    make_event()
    registration = services.register(registration_data(**SIGNATORY)).registration
    services.change(registration, registration_data(participation="attendee"))
    entry = db.session.execute(select(RegistrationLog).where(RegistrationLog.action == "changed")).scalar_one()
    assert json.loads(entry.detail)["commitments"][0] == {"1": "Spreekuur", "2": "Scholing", "3": "Monitoring"}


def test_repeated_rsvps_resend_the_manage_link_at_most_every_ten_minutes(make_event, frozen_clock):
    make_event()
    services.register(registration_data(email="zoe@example.org"))
    for _ in range(5):
        assert services.register(registration_data(email="zoe@example.org")).duplicate
    assert len(mails("already_registered")) == 1
    frozen_clock.freeze(FROZEN_NOW + timedelta(minutes=11))
    services.register(registration_data(email="zoe@example.org"))
    assert len(mails("already_registered")) == 2


def test_a_cancellation_after_the_event_began_promotes_nobody(make_event, frozen_clock):
    event = make_event(capacity=1)
    first = services.register(registration_data(email="a@example.org")).registration
    waiting = services.register(registration_data(email="b@example.org")).registration
    frozen_clock.freeze(event.starts_at + timedelta(minutes=5))
    assert services.cancel(first) == []
    assert waiting.status == WAITLISTED and mails("promoted") == []
