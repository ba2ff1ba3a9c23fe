"""Print views: the signing sheet, name badges and the commitments booklet, as HTML and as PDF (WeasyPrint)."""
import base64
import os
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select

from ..event.services import require_event
from ..extensions import db
from ..mail.services import absolute_url
from ..registration.models import CANCELLED, CONFIRMED, Registration
from ..signing.models import PledgeVersion
from ..signing.queries import effective_signatures, partners
from ..tickets.qr import link_qr_png, qr_png




@dataclass
class SheetLine:
    """One partner's line on the signing sheet."""

    partner_name: str
    signer_name: str
    signer_function: str
    signed_at: object
    signature_uri: str | None  # the drawn signature as a data: URI; None leaves a box for wet ink
    verification_code: str
    pledge_number: int | None
    paper_signed: bool
    record_qr_uri: str


def png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def partner_record_url(organisation_name: str) -> str:
    """The console's registration search for this organisation: a name, never a database id, in the link."""
    # The console's registration list lives at /organiser/registrations (the console issue's page).
    return absolute_url("organiser.registrations", q=organisation_name)


def latest_pledge(event_id: int) -> PledgeVersion | None:
    return db.session.execute(select(PledgeVersion).where(PledgeVersion.event_id == event_id)
                              .order_by(PledgeVersion.number.desc()).limit(1)).scalar_one_or_none()


def _signatories_by_organisation(event_id: int) -> dict[int, Registration]:
    """Each organisation's (first) signing registrant who has not cancelled: named on an unsigned line."""
    rows = db.session.execute(
        select(Registration).where(Registration.event_id == event_id, Registration.participation == "signatory",
                                   Registration.status != CANCELLED).order_by(Registration.sequence)).scalars()
    found: dict[int, Registration] = {}
    for registration in rows:
        found.setdefault(registration.organisation_id, registration)
    return found


def signing_sheet() -> dict:
    """Everything the signing sheet shows: the pledge, then one line per active partner in ceremony order."""
    event = require_event()
    signatures = effective_signatures(event.id)
    signatories = _signatories_by_organisation(event.id)
    lines = []
    for partner in partners(event.id):
        signature = signatures.get(partner.id)
        signatory = signatories.get(partner.organisation_id)
        lines.append(SheetLine(
            partner_name=partner.name,
            signer_name=signature.signer_name if signature else (signatory.name if signatory else ""),
            signer_function=signature.signer_function if signature else (signatory.function if signatory else ""),
            signed_at=signature.signed_at if signature else partner.paper_signed_at,
            signature_uri=png_data_uri(signature.image_png) if signature and signature.image_png else None,
            verification_code=signature.verification_code if signature else "",
            pledge_number=signature.pledge_version.number if signature else None,
            paper_signed=partner.paper_signed_at is not None,
            record_qr_uri=png_data_uri(link_qr_png(partner_record_url(partner.name))),
        ))
    return {"event": event, "pledge": latest_pledge(event.id), "lines": lines}


def badges() -> dict:
    """Name badges of everyone with a seat, by name, each with the ticket QR."""
    event = require_event()
    people = db.session.execute(select(Registration).where(Registration.event_id == event.id,
                                                           Registration.status == CONFIRMED)
                                .order_by(Registration.name)).scalars().all()
    return {"event": event, "badges": [(person, png_data_uri(qr_png(person.ticket_secret, box_size=4))) for person in people]}


def commitments_booklet() -> dict:
    """One page per partner signatory with the organisation's planned activities (the "A4")."""
    from ..registration.choices import PLEDGE_ACTIVITIES

    event = require_event()
    people = db.session.execute(select(Registration).where(Registration.event_id == event.id,
                                                           Registration.participation == "signatory",
                                                           Registration.status != CANCELLED)
                                .order_by(Registration.organisation_name, Registration.name)).scalars().all()
    return {"event": event, "signatories": people, "activities": PLEDGE_ACTIVITIES}


VIEWS = {"signing_sheet": signing_sheet, "badges": badges, "commitments": commitments_booklet}


def print_context(view: str) -> dict:
    return VIEWS[view]()


def render_pdf(view: str, context: dict) -> bytes:
    """The print view as an A4 PDF, from the same template and print.css as the HTML page."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    html = render_template(f"organiser/print/{view}.html", pdf=True, **context)
    stylesheet = os.path.join(current_app.static_folder, "css", "print.css")
    # The images are embedded as data: URIs; WeasyPrint may read nothing else (no file, no network).
    embedded_only = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, base_url=current_app.static_folder, url_fetcher=embedded_only).write_pdf(
        stylesheets=[CSS(filename=stylesheet)])
