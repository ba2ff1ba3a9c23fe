"""The signed pledge as a PDF (WeasyPrint, from an escaped Jinja template) and its mail attachment recipe."""
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from weasyprint import HTML

from ..extensions import db
from ..mail.attachments import Attachment, attachment_builder
from .evidence import image_data_uri
from .models import Signature


def signed_pledge_pdf(records: list[Signature]) -> bytes:
    """One page: the exact pledge text signed, the organisations, the signature, date and verification codes."""
    first = records[0]
    html = render_template("signing/pledge_pdf.html", records=records, first=first, event=_event(first),
                           pledge=first.pledge_version, signature_uri=image_data_uri(first))
    return HTML(string=html).write_pdf()


def _event(record: Signature):
    from ..event.models import Event

    return db.session.get(Event, record.event_id)


@attachment_builder("signed_pledge_pdf")
def pdf_attachment(recipe):
    records = list(db.session.execute(
        select(Signature).where(Signature.id.in_(recipe["signature_ids"])).order_by(Signature.sequence)).scalars())
    language = "nl"
    if records and records[0].registration_id:
        from ..registration.models import Registration

        language = db.session.get(Registration, records[0].registration_id).language
    with force_locale(language):
        return Attachment(recipe.get("filename") or "pledge.pdf", "application/pdf", signed_pledge_pdf(records))
