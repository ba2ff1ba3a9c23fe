"""Invitation rules: import a list (preview, then confirm), send invitations and reminders, track each link."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, deliver_after_commit, queue_mail
from ..organiser.audit import record
from ..registration.models import CANCELLED, Registration, SuggestedPartner
from ..security import clean_secret, new_secret
from . import importing
from .models import (DECLINED, NEW, OPENED, REGISTERED, SENT, UNANSWERED, Invitation, InvitationImport,
                     InvitationMail)

SUBJECTS = {"invitation": _l("Invitation: %(title)s"), "reminder": _l("Reminder: you are invited to %(title)s")}


def invitation_required(event) -> bool:
    """True when only personal invitation links may register (the event's registration mode)."""
    return event.registration_mode == "invitation"


def find_invitation(secret: str) -> Invitation | None:
    cleaned = clean_secret(secret)
    if cleaned is None:
        return None
    return db.session.execute(select(Invitation).where(Invitation.secret == cleaned)).scalar_one_or_none()


def _invitation_by_email(event_id: int, email: str) -> Invitation | None:
    return db.session.execute(select(Invitation).where(Invitation.event_id == event_id,
                                                       Invitation.email_normalised == email.strip().lower())
                              ).scalar_one_or_none()


def _invited_emails(event_id: int) -> set[str]:
    return set(db.session.scalars(select(Invitation.email_normalised).where(Invitation.event_id == event_id)))


def _registered_emails(event_id: int) -> set[str]:
    return set(db.session.scalars(select(Registration.email_normalised).where(
        Registration.event_id == event_id, Registration.status != CANCELLED)))


# -- import: preview, then confirm ----------------------------------------------------------------------------

def preview_import(filename: str, data: bytes, actor: str, at=None) -> InvitationImport:
    """Parse and check an uploaded list and keep it server-side under a random token; no invitation is created."""
    event = require_event()
    rows = importing.check_rows(importing.read_upload(filename, data), _invited_emails(event.id),
                                _registered_emails(event.id))
    upload = InvitationImport(token=new_secret(), filename=(filename or "")[:200], rows=rows,
                              created_at=at or clock.now(), created_by=actor)
    db.session.add(upload)
    db.session.commit()
    return upload


def find_import(token: str) -> InvitationImport | None:
    cleaned = clean_secret(token)
    if cleaned is None:
        return None
    return db.session.execute(select(InvitationImport).where(InvitationImport.token == cleaned)).scalar_one_or_none()


def _new_invitation(event_id: int, values: dict, actor: str, at, **extra) -> Invitation:
    return Invitation(event_id=event_id, secret=new_secret(), name=values["name"], email=values["email"],
                      email_normalised=values["email"].lower(), organisation=values.get("organisation", ""),
                      organisation_type=values.get("type", "other"), language=values.get("language", "nl"),
                      state=NEW, created_at=at, created_by=actor, **extra)


def confirm_import(upload: InvitationImport, actor: str, at=None) -> int:
    """Create an invitation (not yet sent) for every row without problems; returns how many were created."""
    at = at or clock.now()
    event = require_event()
    if upload.confirmed_at is not None:
        raise DomainError("import_confirmed", _("This list has already been imported."))
    # Checked again now: someone may have registered or been invited since the preview.
    taken = _invited_emails(event.id) | _registered_emails(event.id)
    created = 0
    for row in upload.rows:
        if row["problems"] or row["email"].lower() in taken:
            continue
        db.session.add(_new_invitation(event.id, row, actor, at))
        taken.add(row["email"].lower())
        created += 1
    upload.confirmed_at = at
    record(actor, "invitations.import", "invitations", {"file": upload.filename, "created": created}, at)
    db.session.commit()
    return created


# -- sending ------------------------------------------------------------------------------------------------------

def _queue(invitation: Invitation, kind: str, batch: str, at) -> OutboxMessage:
    from flask_babel import force_locale

    event = require_event()
    with force_locale(invitation.language):
        subject = str(SUBJECTS[kind] % {"title": event.title})
    context = {"invitation": invitation, "event": event, "kind": kind,
               "rsvp_url": absolute_url("invitations.open_link", secret=invitation.secret),
               "decline_url": absolute_url("invitations.decline", secret=invitation.secret),
               "event_url": absolute_url("event.index")}
    message = queue_mail(kind, invitation.email, invitation.language, subject, context)
    db.session.add(InvitationMail(batch=batch, kind=kind, invitation_id=invitation.id,
                                  outbox_message_id=message.id, created_at=at))
    return message


def _chosen(states, ids: list[int] | None) -> list[Invitation]:
    query = select(Invitation).where(Invitation.event_id == require_event().id, Invitation.state.in_(states))
    if ids is not None:
        query = query.where(Invitation.id.in_(ids))
    return list(db.session.execute(query.order_by(Invitation.id)).scalars())


def send_invitations(ids: list[int] | None = None, at=None, actor="cli") -> tuple[str, int]:
    """Mail every chosen invitation not yet sent (all of them when `ids` is None); returns (batch, count)."""
    return _send("invitation", _chosen((NEW,), ids), at, actor)


def send_reminders(ids: list[int] | None = None, at=None, actor="cli") -> tuple[str, int]:
    """Remind every chosen invitee who has not answered (all of them when `ids` is None); returns (batch, count)."""
    return _send("reminder", _chosen(UNANSWERED, ids), at, actor)


def _send(kind: str, invitations: list[Invitation], at, actor) -> tuple[str, int]:
    at = at or clock.now()
    if not invitations:
        raise DomainError("nothing_to_send", _("There is no one to send this to."))
    batch = new_secret()
    messages = []
    for invitation in invitations:
        messages.append(_queue(invitation, kind, batch, at))
        if kind == "invitation":
            invitation.state, invitation.sent_at = SENT, at
        else:
            invitation.reminded_at, invitation.reminders = at, invitation.reminders + 1
    record(actor, f"invitations.{kind}", "invitations", {"batch": batch, "count": len(messages)}, at)
    db.session.commit()
    deliver_after_commit([m.id for m in messages])
    return batch, len(messages)


def progress(batch: str) -> dict:
    """How far one sending batch has got: outbox counts per status, and the total."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).join(InvitationMail, InvitationMail.outbox_message_id == OutboxMessage.id)
        .where(InvitationMail.batch == batch).group_by(OutboxMessage.status))
    counts = {status: count for status, count in rows}
    return {"total": sum(counts.values()), **{s: counts.get(s, 0) for s in ("queued", "sending", "sent", "failed")}}


# -- the invitee's link -----------------------------------------------------------------------------------------

def open_invitation(invitation: Invitation, at=None) -> Invitation:
    """Note that the invitee opened their personal link (the first time only)."""
    if invitation.state in (NEW, SENT):
        invitation.state, invitation.opened_at = OPENED, at or clock.now()
        db.session.commit()
    return invitation


def decline(invitation: Invitation, at=None) -> Invitation:
    """The invitee cannot come; they will get no reminders."""
    if invitation.state == REGISTERED:
        raise DomainError("already_registered", _("You are registered. To cancel, use the link in your confirmation e-mail."))
    invitation.state, invitation.declined_at = DECLINED, at or clock.now()
    db.session.commit()
    return invitation


def invitation_for_rsvp(event, data: dict) -> tuple[Invitation | None, dict]:
    """The invitation an RSVP comes with, and the RSVP data to use (no commit).

    In invitation-only mode an RSVP needs a valid invitation and registers the invitee's own address,
    whatever was typed: a forwarded link can only ever take its invitee's one seat.
    """
    invitation = find_invitation(data.get("invitation_secret") or "")
    if invitation is not None and invitation.event_id != event.id:
        invitation = None
    if invitation is None and not invitation_required(event):
        # An invitee who registers through the public form still counts as answered: no reminders.
        invitation = _invitation_by_email(event.id, data.get("email") or "")
    if invitation_required(event):
        if invitation is None:
            raise DomainError("invitation_required", _("Registration for this event is by invitation only. Please use the personal link in your invitation."))
        return invitation, {**data, "email": invitation.email}
    if invitation is not None and invitation.email_normalised != (data.get("email") or "").strip().lower():
        invitation = None  # open event: a colleague with a forwarded link registers as themselves
    return invitation, data


def mark_registered(invitation: Invitation, registration: Registration, at) -> None:
    """Tie the invitation to its registration, inside register()'s transaction (no commit)."""
    invitation.state, invitation.registered_at, invitation.registration_id = REGISTERED, at, registration.id
    registration.source = "invitation"


# -- suggested partners ----------------------------------------------------------------------------------------

def suggested_partners() -> list[tuple[SuggestedPartner, Registration, bool]]:
    """Partners suggested in RSVPs: (suggestion, who suggested it, already invited or registered)."""
    event = require_event()
    taken = _invited_emails(event.id) | _registered_emails(event.id)
    rows = db.session.execute(
        select(SuggestedPartner, Registration).join(Registration, SuggestedPartner.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status != CANCELLED)
        .order_by(SuggestedPartner.organisation)).all()
    return [(s, r, s.email.strip().lower() in taken) for s, r in rows]


def invite_suggested(ids: list[int] | None, actor: str, at=None) -> int:
    """Turn suggested partners (with a valid e-mail address, not yet invited) into invitations; returns how many."""
    at = at or clock.now()
    event = require_event()
    taken = _invited_emails(event.id) | _registered_emails(event.id)
    created = 0
    for suggestion, _registration, _invited in suggested_partners():
        email = importing.normalised_email(suggestion.email.strip()) if suggestion.email.strip() else None
        if (ids is not None and suggestion.id not in ids) or email is None or email.lower() in taken:
            continue
        values = {"name": suggestion.contact_name or suggestion.organisation, "email": email,
                  "organisation": suggestion.organisation}
        db.session.add(_new_invitation(event.id, values, actor, at, source="suggested", suggested_partner_id=suggestion.id))
        taken.add(email.lower())
        created += 1
    record(actor, "invitations.suggested", "invitations", {"created": created}, at)
    db.session.commit()
    return created


def invitation_list(state: str | None = None) -> tuple[list[Invitation], dict]:
    """All invitations (optionally in one state), with the count per state."""
    event = require_event()
    query = select(Invitation).where(Invitation.event_id == event.id)
    if state:
        query = query.where(Invitation.state == state)
    counts = dict(db.session.execute(select(Invitation.state, func.count()).where(Invitation.event_id == event.id)
                                     .group_by(Invitation.state)).all())
    return list(db.session.execute(query.order_by(Invitation.organisation, Invitation.name)).scalars()), counts
