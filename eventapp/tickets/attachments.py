"""How the ticket's mail attachments are built when a mail is delivered."""
from flask_babel import force_locale

from ..extensions import db
from ..mail.attachments import Attachment, attachment_builder
from ..mail.services import absolute_url
from ..registration.models import Registration
from .ics import event_ics
from .pdf import ticket_pdf
from .qr import qr_png

QR_CONTENT_ID = "ticket-qr@eventapp"


def _registration(recipe: dict) -> Registration:
    return db.session.get(Registration, recipe["registration_id"])


@attachment_builder("ticket_qr")
def qr_attachment(recipe):
    registration = _registration(recipe)
    return Attachment("ticket-qr.png", "image/png", qr_png(registration.ticket_secret), disposition="inline",
                      headers={"Content-ID": f"<{QR_CONTENT_ID}>"})


@attachment_builder("ticket_pdf")
def pdf_attachment(recipe):
    registration = _registration(recipe)
    url = absolute_url("tickets.manage", secret=registration.manage_secret)
    with force_locale(registration.language):
        return Attachment("ticket.pdf", "application/pdf", ticket_pdf(registration, url))


@attachment_builder("ticket_ics")
def ics_attachment(recipe):
    registration = _registration(recipe)
    url = absolute_url("tickets.manage", secret=registration.manage_secret)
    with force_locale(registration.language):
        return Attachment("event.ics", "text/calendar", event_ics(registration.event, registration, url))
