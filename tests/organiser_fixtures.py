"""Shared helpers for the organiser console's tests (not fixtures of conftest.py, which others own)."""
from datetime import datetime

from conftest import csrf_token_from
from eventapp.auth.services import create_user
from eventapp.extensions import db
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
    partner = Partner(event_id=event.id, organisation_id=registration.organisation_id,
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
