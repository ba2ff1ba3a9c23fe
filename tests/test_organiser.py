"""The organiser console: registrations table, detail history, actions with their audit rows, the audit page."""
from datetime import datetime

import pytest
from sqlalchemy import select

from conftest import csrf_token_from
from eventapp.auth.services import create_user
from eventapp.checkin.models import CheckinScan
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.organiser import services
from eventapp.organiser.models import AuditEntry
from eventapp.organiser.queries import RegistrationFilter, matching
from eventapp.registration.models import Registration
from eventapp.signing.partners import ensure_partner
from eventapp.signing.models import Partner, PledgeVersion, Signature, text_hash

PASSWORD = "correct horse battery"


def login_as(client, role="organiser", email=None):
    """Create a staff account with `role` and log `client` in through the real form; return the user."""
    email = email or f"{role}@example.org"
    user = create_user(email, role, PASSWORD, name=f"{role.title()} Tester")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def token_of(client, url):
    from flask import g

    g.pop("csrf_token", None)
    return csrf_token_from(client.get(url).get_data(as_text=True))


def add_partner(event, registration, signed=False, at=datetime(2027, 3, 26, 9, 0), sequence=1):
    """A Partner for the registration's organisation, optionally with a drawn signature record."""
    # A signatory's RSVP already made its organisation a partner; anyone else's organisation is added here.
    partner = ensure_partner(registration) or Partner(event_id=event.id, organisation_id=registration.organisation_id,
                                                      name=registration.organisation_name, created_at=at)
    db.session.add(partner)
    db.session.flush()
    if signed:
        version = db.session.query(PledgeVersion).first()
        if version is None:
            version = PledgeVersion(event_id=event.id, number=1, text="Ja, wij ...", sha256=text_hash("Ja, wij ..."),
                                    created_at=at)
            db.session.add(version)
            db.session.flush()
        db.session.add(Signature(event_id=event.id, sequence=sequence, partner_id=partner.id,
                                 registration_id=registration.id, organisation_name=partner.name,
                                 signer_name=registration.name, pledge_version_id=version.id,
                                 pledge_sha256=version.sha256, signed_at=at, prev_hash="0" * 64,
                                 record_hash=f"{sequence:064x}"))
    db.session.commit()
    return partner


def audit_rows(action=None):
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def test_organiser_lands_on_the_dashboard_after_login(client, make_event, frozen_clock):
    make_event()
    create_user("org@example.org", "organiser", "correct horse battery")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "email": "org@example.org", "password": "correct horse battery"})
    assert response.location.endswith("/organiser/")
    assert client.get("/organiser/").status_code == 200


def test_door_and_signing_staff_are_refused(client, make_event, frozen_clock):
    make_event()
    login_as(client, "door")
    for url in ("/organiser/", "/organiser/registrations", "/organiser/audit", "/organiser/settings",
                "/organiser/mailings/new", "/organiser/staff", "/organiser/dashboard.json"):
        assert client.get(url).status_code == 403, url


def test_search_ignores_case_and_accents_and_filters_combine(app, make_event, make_registration, frozen_clock):
    make_event(capacity=1)
    jose = make_registration(name="José Müller", organisation="Stichting Één", participation="signatory",
                             commitments={1: "a", 2: "b", 3: "c"}, suggested_partners=[{"organisation": "X"}],
                             monitoring_consent=True)
    waiting = make_registration(name="Anna Bakker", organisation="Gemeente Utrecht")
    assert [r.id for r in matching(RegistrationFilter(q="jose MULLER"))] == [jose.id]
    assert [r.id for r in matching(RegistrationFilter(q="stichting een"))] == [jose.id]
    assert [r.id for r in matching(RegistrationFilter(q=waiting.email.upper()))] == [waiting.id]
    assert [r.id for r in matching(RegistrationFilter(status="waitlisted"))] == [waiting.id]
    assert [r.id for r in matching(RegistrationFilter(participation="signatory", status="confirmed"))] == [jose.id]
    assert matching(RegistrationFilter(q="jose", status="waitlisted")) == []


def test_table_sorts_and_pages_through_the_query_string(client, make_event, make_registration, frozen_clock):
    make_event()
    for n in range(30):
        make_registration(name=f"Person {n:02d}", send_mail=False)
    login_as(client)
    first = client.get("/organiser/registrations?sort=name&direction=asc").get_data(as_text=True)
    assert "Person 00" in first and "Person 24" in first and "Person 25" not in first
    assert "30 registrations found" in client.get("/organiser/registrations?lang=en").get_data(as_text=True)
    second = client.get("/organiser/registrations?sort=name&direction=asc&page=2").get_data(as_text=True)
    assert "Person 25" in second and "Person 29" in second and "Person 00" not in second
    descending = client.get("/organiser/registrations?sort=name&direction=desc").get_data(as_text=True)
    assert descending.index("Person 29") < descending.index("Person 05")
    assert client.get("/organiser/registrations?sort=bogus&status=nonsense&page=x").status_code == 200


def test_cancel_from_the_console_promotes_the_waitlist_and_is_audited(client, make_event, make_registration, frozen_clock):
    make_event(capacity=1)
    seated = make_registration(name="Sara Seated")
    waiting = make_registration(name="Wim Waiting")
    user = login_as(client)
    url = f"/organiser/registrations/{seated.id}"
    response = client.post(f"{url}/cancel", data={"csrf_token": token_of(client, url), "confirm": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, seated.id).status == "cancelled"
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    cancel_row, promoted_row = audit_rows("registration.cancel")[0], audit_rows("registration.promoted")[0]
    assert cancel_row.actor == user.email and cancel_row.target == f"registration:{seated.id}"
    assert cancel_row.detail == {"status": ["confirmed", "cancelled"], "promoted": [waiting.id]}
    assert promoted_row.target == f"registration:{waiting.id}"
    page = client.get(f"/organiser/registrations/{waiting.id}?lang=en").get_data(as_text=True)
    promoted_mail = db.session.execute(select(OutboxMessage).where(
        OutboxMessage.registration_id == waiting.id, OutboxMessage.kind == "promoted")).scalar_one()
    assert 'data-status="confirmed"' in page and promoted_mail.subject in page


def test_a_refused_action_leaves_no_audit_row(app, make_event, make_registration, frozen_clock):
    make_event()
    person = make_registration()
    services.cancel(person, "org@example.org")
    with pytest.raises(DomainError, match="already_cancelled"):
        services.cancel(person, "org@example.org")
    assert len(audit_rows("registration.cancel")) == 1


def test_move_from_waitlist_resend_and_notes(app, make_event, make_registration, frozen_clock):
    make_event(capacity=1)
    make_registration()
    waiting = make_registration(name="Wim Waiting")
    services.move_from_waitlist(waiting, "org@example.org")
    assert waiting.status == "confirmed"
    before = db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.registration_id == waiting.id, OutboxMessage.kind == "confirmation"))
    services.resend_ticket(waiting, "org@example.org")
    after = db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.registration_id == waiting.id, OutboxMessage.kind == "confirmation"))
    assert after == before + 1
    assert services.set_notes(waiting, "Rolstoel, belt vooraf", "org@example.org") is True
    assert services.set_notes(waiting, "Rolstoel, belt vooraf", "org@example.org") is False
    actions = [row.action for row in audit_rows()]
    assert actions == ["registration.move_from_waitlist", "registration.resend_ticket", "registration.notes"]
    assert audit_rows("registration.notes")[0].detail == {"internal_notes": ["", "Rolstoel, belt vooraf"]}


def test_edit_and_add_by_hand_through_the_pages(client, make_event, make_registration, frozen_clock):
    make_event()
    person = make_registration(name="Anouk de Vries", function="Adviseur")
    login_as(client)
    form = {"name": "Anouk de Vries-Jansen", "organisation": "Gemeente Den Haag", "organisation_type": "municipality",
            "function": "Adviseur", "participation": "attendee", "language": "nl", "photo_consent": "y"}
    url = f"/organiser/registrations/{person.id}/edit"
    assert client.post(url, data={"csrf_token": token_of(client, url), **form}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, person.id).name == "Anouk de Vries-Jansen"
    assert audit_rows("registration.edit")[0].detail["name"] == ["Anouk de Vries", "Anouk de Vries-Jansen"]
    new = {**form, "name": "Bram Belt", "email": "bram@example.org", "privacy_consent": "y"}
    url = "/organiser/registrations/new"
    assert client.post(url, data={"csrf_token": token_of(client, url), **new}).status_code == 302
    added = db.session.execute(select(Registration).where(Registration.email == "bram@example.org")).scalar_one()
    assert added.source == "organiser" and added.status == "confirmed"
    again = client.post(url + "?lang=en", data={"csrf_token": token_of(client, url), **new})
    assert again.status_code == 422 and "already a registration" in again.get_data(as_text=True)


def test_detail_page_shows_mails_scans_signature_and_escapes(client, make_event, make_registration, frozen_clock):
    event = make_event()
    person = make_registration(name="<b>Zorg & Welzijn</b>", organisation="Zorg & Welzijn", participation="signatory",
                               commitments={1: "a", 2: "b", 3: "c"}, suggested_partners=[{"organisation": "X"}],
                               monitoring_consent=True)
    db.session.add(CheckinScan(event_id=event.id, registration_id=person.id, at=frozen_clock.now(), action="scan",
                               verdict="admitted", entrance="Ingang 1", actor_key="device:1", actor_name="Ingang 1"))
    db.session.commit()
    add_partner(event, person, signed=True)
    login_as(client)
    page = client.get(f"/organiser/registrations/{person.id}?lang=en").get_data(as_text=True)
    assert "&lt;b&gt;Zorg &amp; Welzijn&lt;/b&gt;" in page and "<b>Zorg" not in page
    confirmation = db.session.execute(select(OutboxMessage).where(OutboxMessage.registration_id == person.id)).scalar_one()
    assert confirmation.subject.replace("&", "&amp;") in page  # the confirmation mail
    assert "Ingang 1" in page and "admitted" in page
    assert "0000-0000-0000" in page  # the signature's verification code


def test_audit_page_filters_by_action_and_actor(client, make_event, make_registration, frozen_clock):
    make_event()
    person = make_registration()
    services.set_notes(person, "one", "alice@example.org")
    services.cancel(person, "bob@example.org")
    login_as(client)
    page = client.get("/organiser/audit?action=registration.notes").get_data(as_text=True)
    assert "alice@example.org" in page and "bob@example.org" not in page
    page = client.get("/organiser/audit?actor=BOB").get_data(as_text=True)
    assert "registration.cancel" in page and "alice@example.org" not in page
