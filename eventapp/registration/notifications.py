"""The mails a registrant receives, each written to the outbox inside the caller's transaction."""
from flask_babel import lazy_gettext as _l

from ..mail.services import absolute_url, queue_mail

SUBJECTS = {
    "confirmation": _l("Your registration and ticket: %(title)s"),
    "waitlisted": _l("You are on the waitlist: %(title)s"),
    "promoted": _l("A seat has become free for you: %(title)s"),
    "changed": _l("Your details have been changed: %(title)s"),
    "cancelled": _l("Your registration has been cancelled: %(title)s"),
    "already_registered": _l("You are already registered: %(title)s"),
}

# Mails that carry the ticket: the QR inline (by Content-ID, which Gmail and Outlook show, unlike
# data: URIs), the PDF ticket and the calendar file.
TICKET_KINDS = {"confirmation", "promoted", "changed"}


def ticket_attachments(registration) -> list[dict]:
    rid = registration.id
    return [
        {"builder": "ticket_qr", "registration_id": rid, "filename": "ticket-qr.png"},
        {"builder": "ticket_pdf", "registration_id": rid, "filename": "ticket.pdf"},
        {"builder": "ticket_ics", "registration_id": rid, "filename": "event.ics"},
    ]


def notify(kind: str, registration, waitlist_position: int | None = None):
    """Queue the `kind` mail for this registrant in their language; return the outbox row."""
    from flask_babel import force_locale

    event = registration.event
    with force_locale(registration.language):
        subject = str(SUBJECTS[kind] % {"title": event.title})
    attachments = ticket_attachments(registration) if kind in TICKET_KINDS and registration.status == "confirmed" else []
    context = {
        "registration": registration,
        "event": event,
        "manage_url": absolute_url("tickets.manage", secret=registration.manage_secret),
        "event_url": absolute_url("event.index"),
        "waitlist_position": waitlist_position,
        "with_qr": bool(attachments),
    }
    return queue_mail(kind, registration.email, registration.language, subject, context,
                      attachments=attachments, registration_id=registration.id)
