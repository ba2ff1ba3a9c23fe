"""What the station views need around the services: who is signing where, the form's input, the pages."""
from flask import render_template

from ..auth.models import Device
from ..event.services import require_event
from ..extensions import db
from ..registration.models import Registration
from . import queries
from .checks import MAX_IMAGE_BYTES, MAX_STROKES_BYTES
from .forms import SignForm
from .partners import get_partner, signatories
from .services import SignInput, Station, current_pledge


def station(user, request) -> Station:
    """The device (a paired tablet) or the staff member, the client's address and browser."""
    is_device = isinstance(user, Device)
    return Station(device_name=user.display_name if is_device else "",
                   user_name="" if is_device else user.display_name,
                   client_ip=request.remote_addr or "", user_agent=request.headers.get("User-Agent", ""))


def _read(upload, limit: int) -> bytes:
    """At most limit + 1 bytes, so an oversized upload is recognised without holding it all."""
    return upload.read(limit + 1) if upload else b""


def sign_input(partner_id: int, form: SignForm, request) -> SignInput:
    also_for = [int(value) for value in request.form.getlist("also_for") if value.isdigit()]
    registration_id = form.registration_id.data
    return SignInput(
        partner_ids=[partner_id] + also_for,
        signer_name=form.signer_name.data,
        signer_function=form.signer_function.data or "",
        registration_id=int(registration_id) if (registration_id or "").isdigit() else None,
        image=_read(request.files.get("image"), MAX_IMAGE_BYTES),
        strokes=_read(request.files.get("strokes"), MAX_STROKES_BYTES).decode("utf-8", "replace"),
    )


def station_page(event_id: int, query: str) -> dict:
    """The station's start: who is next, the search results."""
    waiting = queries.unsigned_in_order(event_id)
    return {"next_partner": waiting[0] if waiting else None, "waiting": waiting[:5], "query": query,
            "results": queries.search_partners(event_id, query) if query else [],
            "signed_ids": queries.signed_partner_ids(event_id)}


def sign_page(partner_id: int, registration_id: int | None, form: SignForm | None = None):
    """The pledge, the prefilled name and function, the signature field, and who else may sign along."""
    event = require_event()
    partner = get_partner(partner_id)
    people = signatories(partner)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    registration = registration or (people[0] if people else None)
    form = form or SignForm()
    if registration is not None and not form.is_submitted():
        form.signer_name.data, form.signer_function.data = registration.name, registration.function
        form.registration_id.data = str(registration.id)
    others = [p for p in queries.unsigned_in_order(event.id) if p.id != partner.id]
    return render_template("signing/sign.html", event=event, partner=partner, registration=registration,
                           people=people, pledge=current_pledge(event.id), form=form, others=others,
                           already_signed=partner.id in queries.signed_partner_ids(event.id))
