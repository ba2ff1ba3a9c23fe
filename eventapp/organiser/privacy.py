"""Privacy requests (AVG/GDPR): everything stored about one person, anonymising one person, the purge after the event.

Split retention: a registration's personal details go; the counts stay (status, type, participation,
check-in time), and so do the partner organisations, their signatories' names and functions on a
signatory's registration after the event, and the signature evidence (the signed pledge is a public
commitment; the privacy statement says so).
"""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..invitations import privacy as invitations_privacy
from ..mail.models import OutboxMessage
from ..registration.models import CANCELLED, Registration, RegistrationLog
from ..security import new_secret
from .audit import record
from .models import AuditEntry
from .queries import history

PERSON_FIELDS = ("name", "email", "organisation_name", "organisation_type", "function", "participation",
                 "accessibility_needs", "dietary_wishes", "photo_consent", "privacy_consent_at", "newsletter_opt_in",
                 "monitoring_consent", "language", "status", "created_at", "updated_at", "cancelled_at", "promoted_at",
                 "checked_in_at", "checked_in_by", "source", "internal_notes", "anonymised_at")


def person_data(registration: Registration) -> dict:
    """Everything stored about the person behind one registration, as plain JSON-ready data."""
    past = history(registration)
    return {
        "registration": {field: getattr(registration, field) for field in PERSON_FIELDS},
        "commitments": {c.activity: c.text for c in registration.commitments},
        "suggested_partners": [{"organisation": p.organisation, "contact_name": p.contact_name, "email": p.email}
                               for p in registration.suggested_partners],
        "history": [{"at": row.at, "action": row.action, "by": row.actor, "detail": row.detail} for row in past["log"]],
        "mails": [{"at": m.created_at, "to": m.recipient, "subject": m.subject, "status": m.status, "text": m.text}
                  for m in past["mails"]],
        "checkins": [{"at": s.at, "action": s.action, "verdict": s.verdict, "entrance": s.entrance} for s in past["scans"]],
        "invitations": invitations_privacy.invitation_data(registration.email_normalised),
        "signatures": [{"at": s.signed_at, "kind": s.kind, "organisation": s.organisation_name, "signer": s.signer_name,
                        "function": s.signer_function, "verification_code": s.verification_code}
                       for s in past["signatures"]],
    }


def export_person(registration: Registration, actor) -> dict:
    """The person's data for a subject access request; the export itself is journalled."""
    data = person_data(registration)
    record(actor, "privacy.export", f"registration:{registration.id}", {})
    db.session.commit()
    return data


def _erase(registration: Registration, keep_signatory: bool, at) -> None:
    """Blank the personal details of one registration (no commit). Counts and signature evidence stay."""
    keep = keep_signatory and registration.is_signatory and registration.status != CANCELLED
    placeholder = f"anonymised-{registration.id}"
    if not keep:
        registration.name = _("Anonymised")
        registration.function = ""
    registration.email = registration.email_normalised = f"{placeholder}@invalid.invalid"
    registration.accessibility_needs = registration.dietary_wishes = registration.internal_notes = ""
    registration.photo_consent = registration.newsletter_opt_in = False
    # New secrets: an old link or ticket must lead to nothing.
    registration.ticket_secret, registration.manage_secret = new_secret(), new_secret()
    for partner in registration.suggested_partners:
        partner.contact_name = partner.email = ""
    registration.anonymised_at = registration.updated_at = at
    db.session.execute(update(RegistrationLog).where(RegistrationLog.registration_id == registration.id)
                       .values(detail=""))
    db.session.execute(update(AuditEntry).where(AuditEntry.target == f"registration:{registration.id}")
                       .values(detail={"redacted": True}))


def _forget_mails(registration: Registration, email: str) -> None:
    """Mails hold the name and address in their text: delete them (a queued one is then never sent)."""
    db.session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.registration_id == registration.id, func.lower(OutboxMessage.recipient) == email)))


def anonymise(registration: Registration, actor, at=None) -> None:
    """Erase one person on request; before the event only a cancelled registration (a seat is not taken away here)."""
    at = at or clock.now()
    if registration.anonymised_at is not None:
        raise DomainError("already_anonymised", _("This registration has already been anonymised."))
    if registration.status != CANCELLED and at < registration.event.ends_at:
        raise DomainError("still_registered", _("Cancel the registration first; then it can be anonymised."))
    email = registration.email_normalised
    _forget_mails(registration, email)
    invitations_privacy.forget_invitations(invitations_privacy.invitations_for(email))
    _erase(registration, keep_signatory=False, at=at)
    record(actor, "privacy.anonymise", f"registration:{registration.id}", {})
    db.session.commit()


def purge(older_than_days: int, actor="cli", at=None) -> int:
    """Anonymise every registration once the event ended more than `older_than_days` ago; return how many.

    Signatories keep their name and function on the registration (the signing record names them).
    """
    at = at or clock.now()
    event = require_event()
    if at - event.ends_at < timedelta(days=older_than_days):
        raise DomainError("too_soon", _("The event ended less than %(days)d days ago; nothing was anonymised.",
                                        days=older_than_days))
    people = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                           Registration.anonymised_at.is_(None))).all()
    for registration in people:
        _forget_mails(registration, registration.email_normalised)
        _erase(registration, keep_signatory=True, at=at)
    invitees = invitations_privacy.forget_all(event.id)
    record(actor, "privacy.purge", "event", {"older_than_days": older_than_days, "anonymised": len(people),
                                              "invitees": invitees})
    db.session.commit()
    return len(people)
