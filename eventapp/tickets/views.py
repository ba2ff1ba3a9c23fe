"""The manage page (the link in every mail) and the ticket in its forms: QR, PDF, calendar file."""
from flask import Blueprint, Response, abort, render_template

from ..mail.services import absolute_url
from ..registration.models import CONFIRMED
from ..registration.services import waitlist_position
from ..registration.views import registration_or_404
from .ics import event_ics
from .pdf import ticket_pdf
from .qr import qr_png, qr_svg

bp = Blueprint("tickets", __name__)

PRIVATE = {"Cache-Control": "private, no-store"}


@bp.route("/ticket/<secret>")
def manage(secret):
    registration = registration_or_404(secret)
    return render_template("tickets/manage.html", registration=registration, event=registration.event,
                           waitlist_position=waitlist_position(registration)), 200, PRIVATE


def confirmed_or_404(secret: str):
    """Only a confirmed registration has a ticket: no QR or PDF that looks valid at the door otherwise."""
    registration = registration_or_404(secret)
    if registration.status != CONFIRMED:
        abort(404)
    return registration


@bp.route("/ticket/<secret>/qr.svg")
def qr_image(secret):
    registration = confirmed_or_404(secret)
    return Response(qr_svg(registration.ticket_secret), mimetype="image/svg+xml", headers=PRIVATE)


@bp.route("/ticket/<secret>/qr.png")
def qr_image_png(secret):
    registration = confirmed_or_404(secret)
    return Response(qr_png(registration.ticket_secret), mimetype="image/png", headers=PRIVATE)


@bp.route("/ticket/<secret>/ticket.pdf")
def pdf(secret):
    registration = confirmed_or_404(secret)
    body = ticket_pdf(registration, absolute_url("tickets.manage", secret=secret))
    return Response(body, mimetype="application/pdf",
                    headers={**PRIVATE, "Content-Disposition": 'inline; filename="ticket.pdf"'})


@bp.route("/ticket/<secret>/event.ics")
def ics(secret):
    registration = registration_or_404(secret)
    body = event_ics(registration.event, registration, absolute_url("tickets.manage", secret=secret))
    return Response(body, mimetype="text/calendar",
                    headers={**PRIVATE, "Content-Disposition": 'attachment; filename="event.ics"'})
