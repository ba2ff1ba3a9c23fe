"""Privacy (AVG/GDPR): one person's data as JSON, anonymising one person, the purge after the event (split retention)."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.organiser import privacy, services
from eventapp.organiser.models import AuditEntry
from eventapp.registration.services import cancel
from eventapp.signing.models import Partner, Signature
from test_organiser import add_partner, login_as, token_of

SIGNATORY = dict(participation="signatory", commitments={1: "Spreekuur", 2: "Schuldhulp", 3: "Samenwerken"},
                 suggested_partners=[{"organisation": "Voedselbank", "contact_name": "Piet", "email": "piet@example.org"}],
                 monitoring_consent=True)


def test_export_holds_everything_about_the_person(client, make_event, make_registration, frozen_clock):
    event = make_event()
    person = make_registration(name="Fatima el Amrani", dietary_wishes="Halal", **SIGNATORY)
    add_partner(event, person, signed=True)
    services.set_notes(person, "Belt terug", "org@example.org")
    login_as(client)
    url = f"/organiser/registrations/{person.id}"
    response = client.post(f"{url}/privacy-export", data={"csrf_token": token_of(client, url), "confirm": "1"})
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["registration"]["name"] == "Fatima el Amrani" and data["registration"]["dietary_wishes"] == "Halal"
    assert data["registration"]["internal_notes"] == "Belt terug"
    assert data["commitments"] == {"1": "Spreekuur", "2": "Schuldhulp", "3": "Samenwerken"}
    assert data["suggested_partners"][0]["contact_name"] == "Piet"
    assert data["mails"] and data["mails"][0]["to"] == person.email
    assert data["signatures"][0]["signer"] == "Fatima el Amrani"
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "privacy.export")).scalar_one()


def test_anonymise_one_person_keeps_counts_and_signature_evidence(app, make_event, make_registration, frozen_clock):
    event = make_event()
    person = make_registration(name="Fatima el Amrani", accessibility_needs="Rolstoel", **SIGNATORY)
    add_partner(event, person, signed=True)
    services.set_notes(person, "Belt terug", "org@example.org")
    with pytest.raises(DomainError, match="still_registered"):
        privacy.anonymise(person, "org@example.org")
    cancel(person)
    email = person.email
    privacy.anonymise(person, "org@example.org")
    assert "Fatima" not in person.name and email not in person.email and person.accessibility_needs == ""
    assert person.internal_notes == "" and person.anonymised_at is not None
    assert person.suggested_partners[0].contact_name == "" and person.suggested_partners[0].organisation == "Voedselbank"
    assert person.status == "cancelled" and person.participation == "signatory"  # the counts stay
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == email)) == 0
    signature = db.session.execute(select(Signature)).scalar_one()
    assert signature.signer_name == "Fatima el Amrani"  # evidence kept, as the privacy statement says
    notes_entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "registration.notes")).scalar_one()
    assert "Belt terug" not in json.dumps(notes_entry.detail)
    with pytest.raises(DomainError, match="already_anonymised"):
        privacy.anonymise(person, "org@example.org")


def test_purge_command_after_the_event_keeps_signatories(runner, make_event, make_registration, frozen_clock):
    event = make_event()
    guest = make_registration(name="Gast Jansen", dietary_wishes="Vegan")
    signer = make_registration(name="Sanne Signer", function="Directeur", **SIGNATORY)
    add_partner(event, signer, signed=True)
    too_soon = runner.invoke(args=["privacy", "purge", "--older-than", "30"])
    assert too_soon.exit_code == 1 and "too_soon" in too_soon.output
    assert guest.anonymised_at is None
    frozen_clock.freeze(event.ends_at + timedelta(days=31))
    result = runner.invoke(args=["privacy", "purge", "--older-than", "30"])
    assert result.exit_code == 0 and "Anonymised 2 registrations" in result.output
    db.session.expire_all()
    guest, signer = db.session.get(type(guest), guest.id), db.session.get(type(signer), signer.id)
    assert guest.name != "Gast Jansen" and guest.dietary_wishes == "" and "@invalid" in guest.email
    assert (signer.name, signer.function, signer.organisation_name) == ("Sanne Signer", "Directeur", "Gemeente Den Haag")
    assert "@invalid" in signer.email
    assert db.session.scalar(select(db.func.count()).select_from(Partner)) == 1
    assert db.session.execute(select(Signature)).scalar_one().signer_name == "Sanne Signer"
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 0


def test_privacy_statement_explains_the_split_retention(client, make_event):
    make_event()
    page = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "every registration is anonymised" in page
    assert "Kept as evidence of the pledge" in page and "a signature you placed on behalf of your organisation stays" in page


def _invite(name, email, at):
    from eventapp.invitations import services as invitations

    invitation = invitations._new_invitation(invitations.require_event().id, {
        "name": name, "email": email, "organisation": "Gemeente Delft", "language": "nl"}, "test", at)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def test_invitations_are_exported_and_forgotten_with_the_person(client, make_event, make_registration, frozen_clock):
    from eventapp import clock
    from eventapp.invitations.models import Invitation

    make_event()
    invitation = _invite("Fatima el Amrani", "fatima@example.org", clock.now())
    person = make_registration(name="Fatima el Amrani", email="fatima@example.org")
    data = privacy.person_data(person)
    assert [i["email"] for i in data["invitations"]] == ["fatima@example.org"]
    old_link = invitation.secret
    cancel(person)
    privacy.anonymise(person, "org@example.org")
    db.session.expire_all()
    forgotten = db.session.get(Invitation, invitation.id)
    assert "fatima" not in (forgotten.name + forgotten.email).lower() and forgotten.organisation == ""
    assert forgotten.secret != old_link


def test_purge_forgets_invitees_who_never_answered_and_pending_uploads(runner, make_event, frozen_clock):
    from eventapp import clock
    from eventapp.invitations.models import Invitation, InvitationImport

    event = make_event()
    _invite("Nooit Geantwoord", "stil@example.org", clock.now())
    db.session.add(InvitationImport(token="t" * 20, filename="lijst.csv", rows=[{"name": "Piet", "email": "p@x.nl"}],
                                    created_at=clock.now()))
    db.session.commit()
    frozen_clock.freeze(event.ends_at + timedelta(days=31))
    assert runner.invoke(args=["privacy", "purge", "--older-than", "30"]).exit_code == 0
    db.session.expire_all()
    (invitee,) = db.session.scalars(select(Invitation)).all()
    assert "stil" not in invitee.email and invitee.name != "Nooit Geantwoord"
    assert db.session.scalar(select(db.func.count()).select_from(InvitationImport)) == 0
