"""Mailings: one plain-text message in Dutch and English to a filtered set of registrants, through the outbox."""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..mail.models import OutboxMessage
from ..mail.services import absolute_url, deliver_after_commit, queue_mail
from ..registration.models import CANCELLED, Registration
from .audit import actor_of, record
from .models import Mailing
from .queries import RegistrationFilter, matching


def recipients(filters: dict) -> list[Registration]:
    """The registrants a mailing with these filters reaches: without a status filter, all not cancelled."""
    people = matching(RegistrationFilter(**filters))
    return [r for r in people if r.anonymised_at is None and (filters.get("status") or r.status != CANCELLED)]


def paragraphs(body: str) -> list[list[str]]:
    """Split plain text into paragraphs of lines (blank lines separate paragraphs); the template escapes them."""
    blocks = [block for block in body.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [block.strip("\n").split("\n") for block in blocks]


def _context(registration, event, body: str) -> dict:
    return {"registration": registration, "event": event, "body": body, "paragraphs": paragraphs(body),
            "manage_url": absolute_url("tickets.manage", secret=registration.manage_secret),
            "event_url": absolute_url("event.index")}


def preview(data: dict, filters: dict) -> dict:
    """The mail as the first recipient would get it, in both languages, and how many it reaches."""
    from flask import render_template

    event = require_event()
    people = recipients(filters)
    sample = people[0] if people else Registration(name=_("(name of the registrant)"), manage_secret="PREVIEW")
    shown = {}
    for language in ("nl", "en"):
        with force_locale(language):
            shown[language] = {"subject": data[f"subject_{language}"],
                               "text": render_template("mail/mailing.txt", **_context(sample, event, data[f"body_{language}"]))}
    return {"count": len(people), "languages": shown}


def _queue(mailing: Mailing, registration, event, attachments=None, template: str = "mailing") -> OutboxMessage:
    language = registration.language if registration.language in ("nl", "en") else "nl"
    subject = getattr(mailing, f"subject_{language}")
    message = queue_mail(template, registration.email, language, subject,
                         _context(registration, event, getattr(mailing, f"body_{language}")),
                         attachments=attachments or [], registration_id=registration.id)
    message.mailing_id = mailing.id
    return message


def queue_mailing(data: dict, filters: dict, actor, kind: str = "mailing", attach=None) -> list[OutboxMessage]:
    """Write the mailing and one outbox mail per recipient into the current transaction (no commit)."""
    event = require_event()
    people = recipients(filters)
    mailing = Mailing(kind=kind, filters=filters, recipient_count=len(people), created_at=clock.now(),
                      created_by=actor_of(actor)[0], **data)
    db.session.add(mailing)
    db.session.flush()
    messages = [_queue(mailing, person, event, attach(person) if attach else None, kind) for person in people]
    record(actor, f"{kind}.send", f"mailing:{mailing.id}", {"subject": data["subject_nl"], "filters": filters,
                                                            "recipients": len(people)})
    return messages


def send(data: dict, filters: dict, actor) -> Mailing:
    """Send a mailing: everything written in one transaction, delivered after commit."""
    if not recipients(filters):
        raise DomainError("no_recipients", _("No registrant matches these filters."))
    messages = queue_mailing(data, filters, actor)
    db.session.commit()
    deliver_after_commit([m.id for m in messages])
    return get(messages[0].mailing_id)


def progress(mailing_id: int) -> dict:
    """How many of the mailing's mails are queued, sending, sent and failed."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).where(OutboxMessage.mailing_id == mailing_id)
                              .group_by(OutboxMessage.status))
    counts = {"queued": 0, "sending": 0, "sent": 0, "failed": 0}
    counts.update(dict(rows.all()))
    counts["total"] = sum(counts.values())
    return counts


def get(mailing_id: int) -> Mailing | None:
    return db.session.get(Mailing, mailing_id)


def recent() -> list[Mailing]:
    return list(db.session.scalars(select(Mailing).order_by(Mailing.id.desc()).limit(100)))
