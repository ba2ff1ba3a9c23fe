"""What organisers do to registrations; each action commits once, with its audit row in the same transaction."""
from flask_babel import gettext as _

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..registration import services as rsvp
from ..registration.models import CANCELLED, Registration
from .audit import actor_of, record


def _target(registration: Registration) -> str:
    return f"registration:{registration.id}"


def _who(actor) -> str:
    """How the registration's own history names an organiser."""
    return f"organiser:{actor_of(actor)[0]}"


def get_registration(registration_id: int) -> Registration | None:
    return db.session.get(Registration, registration_id)


def edit(registration: Registration, data: dict, actor) -> list[str]:
    """Change a registrant's details for them; they get the usual "changed" mail."""
    def journal(changes):
        record(actor, "registration.edit", _target(registration), changes)

    return rsvp.change(registration, data, actor=_who(actor), journal=journal)


def cancel(registration: Registration, actor) -> list[Registration]:
    """Cancel for the registrant; a freed seat goes to the waitlist as when they cancel themselves."""
    old = registration.status

    def journal(promoted):
        record(actor, "registration.cancel", _target(registration),
               {"status": [old, "cancelled"], "promoted": [p.id for p in promoted]})
        for person in promoted:
            record(actor, "registration.promoted", _target(person), {"status": ["waitlisted", "confirmed"],
                                                                     "because_of": registration.id})

    return rsvp.cancel(registration, actor=_who(actor), journal=journal)


def move_from_waitlist(registration: Registration, actor) -> Registration:
    def journal(_registration):
        record(actor, "registration.move_from_waitlist", _target(registration), {"status": ["waitlisted", "confirmed"]})

    return rsvp.move_from_waitlist(registration, _who(actor), journal=journal)


def resend_ticket(registration: Registration, actor) -> None:
    def journal(_registration):
        record(actor, "registration.resend_ticket", _target(registration), {"to": registration.email})

    rsvp.resend_ticket(registration, _who(actor), journal=journal)


def add_by_hand(data: dict, actor) -> Registration:
    """Register someone on their behalf (phone call, e-mail); they get the same mails as after an RSVP."""
    from ..event.services import require_event

    existing = rsvp.find_by_email(require_event().id, data["email"])
    if existing is not None and existing.status != CANCELLED:
        raise DomainError("already_registered", _("There is already a registration for this e-mail address."), "email")

    def journal(registration):
        record(actor, "registration.add", _target(registration),
               {"name": registration.name, "email": registration.email, "status": registration.status})

    return rsvp.register(data, source="organiser", actor=_who(actor), journal=journal).registration


def set_notes(registration: Registration, notes: str, actor) -> bool:
    """Replace the organisers' internal notes; False when nothing changed."""
    notes = (notes or "").strip()
    if notes == registration.internal_notes:
        return False
    record(actor, "registration.notes", _target(registration), {"internal_notes": [registration.internal_notes, notes]})
    registration.internal_notes = notes
    registration.updated_at = clock.now()
    db.session.commit()
    return True
