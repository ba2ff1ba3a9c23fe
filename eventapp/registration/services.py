"""The RSVP rules: register, change, cancel, and the waitlist behind them. Each commits once."""
import json
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..errors import DomainError
from ..event.services import confirmed_count, lock_seats, registration_state, require_event
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import deliver_after_commit
from ..security import clean_secret, new_secret
from ..signing.partners import ensure_partner
from .models import (CANCELLED, CONFIRMED, WAITLISTED, Commitment, Organisation, Registration,
                     RegistrationLog, SuggestedPartner, normalise_name)
from .notifications import notify

DETAIL_FIELDS = ("name", "organisation_name", "organisation_type", "function", "participation", "accessibility_needs",
                 "dietary_wishes", "photo_consent", "newsletter_opt_in", "monitoring_consent", "language")


@dataclass
class Outcome:
    """What register() did: a new (or renewed) registration, or a pointer to an existing one."""

    registration: Registration
    duplicate: bool = False
    waitlist_position: int | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(event_id: int, email: str) -> Registration | None:
    return db.session.execute(
        select(Registration).where(Registration.event_id == event_id,
                                   Registration.email_normalised == normalise_email(email))
    ).scalar_one_or_none()


def find_by_manage_secret(secret: str) -> Registration | None:
    cleaned = clean_secret(secret)
    if cleaned is None:
        return None
    return db.session.execute(select(Registration).where(Registration.manage_secret == cleaned)).scalar_one_or_none()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to get a seat; None when not on the waitlist."""
    if registration.status != WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == registration.event_id, Registration.status == WAITLISTED,
               Registration.sequence <= registration.sequence)
    )


def organisation_for(name: str, type_: str) -> Organisation:
    """The organisation with this name (matched case- and accent-insensitively), created if new."""
    # Callers hold the event's lock (lock_seats), so no two transactions create the same organisation.
    key = normalise_name(name)
    organisation = db.session.execute(select(Organisation).where(Organisation.normalised_name == key)).scalar_one_or_none()
    if organisation is None:
        organisation = Organisation(name=name.strip(), normalised_name=key, type=type_, created_at=clock.now())
        db.session.add(organisation)
        db.session.flush()
    return organisation


def _log(registration: Registration, action: str, actor: str, detail: str = "") -> None:
    db.session.add(RegistrationLog(registration_id=registration.id, at=clock.now(), action=action,
                                   actor=actor, detail=detail))


def signatory_problems(data: dict) -> list[DomainError]:
    """What a signatory has left out: the "A4" (each of the three activities), a suggested partner, monitoring consent."""
    if data.get("participation") != "signatory":
        return []
    commitments = data.get("commitments") or {}
    problems = [DomainError("commitment_missing", _("Please describe your organisation's commitment under each of the three activities."), f"commitment_{n}")
                for n in (1, 2, 3) if not (commitments.get(n) or "").strip()]
    if not any((p.get("organisation") or "").strip() for p in data.get("suggested_partners") or []):
        problems.append(DomainError("partner_missing", _("Please suggest at least one new partner."), "partners"))
    if not data.get("monitoring_consent"):
        problems.append(DomainError("monitoring_consent_missing", _("Signing partners take part in the yearly monitoring; please agree to it."), "monitoring_consent"))
    return problems


def rsvp_problems(data: dict, new_registration: bool) -> list[DomainError]:
    """Every rule the RSVP data breaks (empty when it may be saved); the form shows them all at once."""
    problems = []
    if new_registration and not data.get("privacy_consent"):
        problems.append(DomainError("privacy_consent_missing", _("Please agree to the privacy statement."), "privacy_consent"))
    return problems + signatory_problems(data)


def _check_rsvp_data(data: dict, new_registration: bool) -> None:
    problems = rsvp_problems(data, new_registration)
    if problems:
        raise problems[0]


def _signatory_snapshot(registration: Registration) -> dict:
    return {"commitments": {c.activity: c.text for c in registration.commitments},
            "suggested_partners": [[p.organisation, p.contact_name, p.email] for p in registration.suggested_partners]}


def _set_signatory_data(registration: Registration, data: dict) -> dict:
    """Replace the commitments and suggested partners; return {field: [old, new]} for what changed."""
    before = _signatory_snapshot(registration)
    registration.commitments = []
    registration.suggested_partners = []
    db.session.flush()
    if data.get("participation") == "signatory":
        for activity, text in sorted((data.get("commitments") or {}).items()):
            if text.strip():
                registration.commitments.append(Commitment(activity=activity, text=text.strip()))
        for partner in data.get("suggested_partners") or []:
            if (partner.get("organisation") or "").strip():
                registration.suggested_partners.append(SuggestedPartner(
                    organisation=partner["organisation"].strip(), contact_name=(partner.get("contact_name") or "").strip(),
                    email=(partner.get("email") or "").strip()))
    after = _signatory_snapshot(registration)
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def _apply_details(registration: Registration, data: dict) -> dict:
    """Copy the form's fields onto the registration; return {field: [old, new]} for those that changed."""
    data = {**data, "organisation_name": data["organisation"].strip(),
            "organisation_type": data.get("organisation_type", "other")}
    changed = {f: [getattr(registration, f), data[f]] for f in DETAIL_FIELDS
               if f in data and getattr(registration, f) != data[f]}
    for field in DETAIL_FIELDS:
        if field in data:
            setattr(registration, field, data[field])
    registration.organisation = organisation_for(data["organisation_name"], data["organisation_type"])
    return changed


# A repeated RSVP re-sends the manage link at most this often: the form must not become a way to
# flood someone's inbox.
REMINDER_INTERVAL = timedelta(minutes=10)


def _mailed_recently(registration: Registration, kind: str, at) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id, OutboxMessage.kind == kind,
               OutboxMessage.created_at > at - REMINDER_INTERVAL)
    ) > 0


def _refuse(code: str, message: str, field: str | None = None):
    """Roll back (releasing the event lock at once) and refuse with a stable code."""
    db.session.rollback()
    raise DomainError(code, message, field)


def _renew(registration: Registration, data: dict, sequence: int, at) -> None:
    """Set the fields of a new registration, or of a cancelled one that registers again."""
    if registration.id is not None:
        # A cancelled ticket stays invalid: the returning registrant gets a fresh ticket secret.
        registration.ticket_secret = new_secret()
    registration.email = data["email"].strip()
    registration.email_normalised = normalise_email(data["email"])
    registration.privacy_consent_at = at
    registration.updated_at = at
    registration.cancelled_at = registration.promoted_at = None
    registration.checked_in_at = registration.checked_in_by = None
    registration.sequence = sequence


def register(data: dict, at=None, send_mail: bool = True, source: str = "rsvp", actor: str = "registrant",
             journal=None) -> Outcome:
    """Take a seat or a waitlist place for the person in `data`, with their tickets and confirmation mail.

    `journal(registration)`, if given, is called just before the commit (the console's audit row).
    """
    at = at or clock.now()
    event = require_event()
    state = registration_state(event, at)
    if state == "not_open":
        raise DomainError("registration_not_open", _("Registration for this event has not opened yet."))
    if state != "open":
        raise DomainError("registration_closed", _("Registration for this event is closed."))
    _check_rsvp_data(data, new_registration=True)
    from ..invitations.services import invitation_for_rsvp, mark_registered

    invitation, data = invitation_for_rsvp(event, data)  # invitation-only: refuses, or registers the invitee's address
    sequence = lock_seats(event.id)
    existing = find_by_email(event.id, data["email"])
    if existing is not None and existing.status != CANCELLED:
        resend = send_mail and not _mailed_recently(existing, "already_registered", at)
        message = notify("already_registered", existing) if resend else None
        db.session.commit()
        deliver_after_commit([message.id] if message else [])
        return Outcome(existing, duplicate=True, waitlist_position=waitlist_position(existing))
    # Seats freed without a promotion (e.g. a raised capacity) go to those already waiting, not to a newcomer.
    messages = [notify("promoted", person) for person in fill_free_seats(event, at)] if send_mail else []
    registration = existing or Registration(event_id=event.id, ticket_secret=new_secret(),
                                            manage_secret=new_secret(), created_at=at)
    _renew(registration, data, sequence, at)
    registration.status = CONFIRMED if confirmed_count(event.id) < event.capacity else WAITLISTED
    _apply_details(registration, data)
    db.session.add(registration)
    db.session.flush()
    registration.source = source
    _set_signatory_data(registration, data)
    ensure_partner(registration)
    _log(registration, "registered", actor, registration.status)
    if invitation is not None:
        mark_registered(invitation, registration, at)
    position = waitlist_position(registration)
    if send_mail:
        messages.append(notify("confirmation" if registration.status == CONFIRMED else "waitlisted", registration, position))
    if journal:
        journal(registration)
    db.session.commit()
    deliver_after_commit([m.id for m in messages])
    return Outcome(registration, waitlist_position=position)


def change(registration: Registration, data: dict, actor: str = "registrant", at=None, journal=None) -> list[str]:
    """Update a registrant's details and tell them; return the changed field names (none: nothing saved).

    `journal(changes)`, if given, is called with {field: [old, new]} just before the commit.
    """
    at = at or clock.now()
    _check_rsvp_data(data, new_registration=False)
    # Take the event's lock like register() and cancel(): two saves of one form (a double click, the
    # organiser and the registrant at once) would otherwise both replace the commitments and collide,
    # and two people naming the same new organisation would both create it. Then read the row afresh,
    # so a cancellation that has just happened is seen.
    lock_seats(registration.event_id)
    db.session.refresh(registration)
    if registration.status == CANCELLED:
        _refuse("cancelled", _("This registration has been cancelled."))
    changed = {**_apply_details(registration, data), **_set_signatory_data(registration, data)}
    ensure_partner(registration)
    if not changed:
        db.session.rollback()  # nothing to save, log or mail
        return []
    registration.updated_at = at
    # Old and new values, so that an earlier "A4" text is never lost by an edit.
    _log(registration, "changed", actor, json.dumps(changed, ensure_ascii=False, default=str))
    message = notify("changed", registration, waitlist_position(registration))
    if journal:
        journal(changed)
    db.session.commit()
    deliver_after_commit([message.id])
    return sorted(changed)


def fill_free_seats(event, at=None) -> list[Registration]:
    """Give free seats to the longest-waiting people, in order of arrival (no commit; callers queue the mails)."""
    at = at or clock.now()
    free = event.capacity - confirmed_count(event.id)
    if free <= 0:
        return []
    promoted = db.session.execute(
        select(Registration).where(Registration.event_id == event.id, Registration.status == WAITLISTED)
        .order_by(Registration.sequence).limit(free)
    ).scalars().all()
    for registration in promoted:
        registration.status = CONFIRMED
        registration.promoted_at = at
        registration.updated_at = at
        _log(registration, "promoted", "system")
    db.session.flush()
    return promoted


def cancel(registration: Registration, actor: str = "registrant", at=None, journal=None) -> list[Registration]:
    """Cancel a registration; a freed seat goes at once to the longest-waiting person. Returns who was promoted.

    `journal(promoted)`, if given, is called with the promoted registrations just before the commit.
    """
    at = at or clock.now()
    lock_seats(registration.event_id)
    db.session.refresh(registration)
    if registration.status == CANCELLED:
        _refuse("already_cancelled", _("This registration has already been cancelled."))
    registration.status = CANCELLED
    registration.cancelled_at = at
    registration.updated_at = at
    _log(registration, "cancelled", actor)
    db.session.flush()
    messages = [notify("cancelled", registration)]
    # Once the event has begun a freed seat is no use to anyone: no "a seat is yours" mail at noon.
    promoted = fill_free_seats(registration.event, at) if at < registration.event.starts_at else []
    messages += [notify("promoted", person) for person in promoted]
    if journal:
        journal(promoted)
    db.session.commit()
    deliver_after_commit([m.id for m in messages])
    return promoted


def add_walk_in(event, name: str, organisation: str, email: str, sequence: int, at,
                existing: Registration | None = None) -> Registration:
    """Add a confirmed registration for someone who arrives unannounced (flush only: the door's service commits).

    The caller holds the seat lock (`lock_seats`) and has applied the event's walk-in policy. Without an
    e-mail address the registration gets a placeholder key that can never match a real address. An
    `existing` cancelled or waitlisted registration of the same address is confirmed instead.
    """
    if existing is not None:
        previous = existing.status
        if previous == CANCELLED:
            existing.ticket_secret = new_secret()  # the cancelled ticket stays invalid
        existing.status, existing.sequence, existing.updated_at, existing.cancelled_at = CONFIRMED, sequence, at, None
        _log(existing, "walk_in", "door", previous)
        return existing
    ticket_secret = new_secret()
    registration = Registration(
        event_id=event.id, name=name.strip(), email=email.strip(),
        email_normalised=normalise_email(email) if email.strip() else f"walk-in:{ticket_secret}",
        organisation_name=organisation.strip(), organisation_type="other",
        organisation=organisation_for(organisation or name, "other"), participation="attendee",
        privacy_consent_at=at, language="nl", status=CONFIRMED, sequence=sequence, source="walk_in",
        ticket_secret=ticket_secret, manage_secret=new_secret(), created_at=at, updated_at=at)
    db.session.add(registration)
    db.session.flush()
    _log(registration, "registered", "door", "walk_in")
    return registration


def move_from_waitlist(registration: Registration, actor: str, at=None, journal=None) -> Registration:
    """Give a waitlisted person a seat now (an organiser's decision, even when every seat is taken)."""
    at = at or clock.now()
    lock_seats(registration.event_id)
    db.session.refresh(registration)
    if registration.status != WAITLISTED:
        _refuse("not_waitlisted", _("This registration is not on the waitlist."))
    registration.status = CONFIRMED
    registration.promoted_at = registration.updated_at = at
    _log(registration, "promoted", actor)
    message = notify("promoted", registration)
    if journal:
        journal(registration)
    db.session.commit()
    deliver_after_commit([message.id])
    return registration


def resend_ticket(registration: Registration, actor: str, journal=None) -> None:
    """Send the confirmation with the ticket again (lost mail, new phone)."""
    if registration.status != CONFIRMED:
        raise DomainError("no_ticket", _("Only a confirmed registration has a ticket."))
    message = notify("confirmation", registration)
    _log(registration, "ticket_resent", actor)
    if journal:
        journal(registration)
    db.session.commit()
    deliver_after_commit([message.id])
