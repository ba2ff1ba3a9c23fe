"""Signing station, host's view and live wall."""
from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_login import current_user

from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..security import role_required
from . import queries, services
from .forms import SignForm
from .models import Signature
from .station import sign_input, station, station_page, sign_page

bp = Blueprint("signing", __name__)
STATION_ROLES = ("signing", "organiser")
STAFF_ROLES = ("organiser", "signing", "door")


@bp.route("/station")
@role_required(*STATION_ROLES)
def station_home():
    event = require_event()
    return render_template("signing/station.html", **station_page(event.id, request.args.get("q", "")))


@bp.route("/station/ticket")
@role_required(*STATION_ROLES)
def station_ticket():
    """A scanned or typed ticket code: straight to that signatory's partner."""
    event = require_event()
    try:
        registration, partner = services.registration_for_ticket(request.args.get("code", ""))
    except DomainError as error:
        return render_template("signing/station.html", ticket_error=error.message, **station_page(event.id, "")), 400
    return sign_page(partner.id, registration.id)


@bp.route("/station/sign/<int:partner_id>", methods=["GET", "POST"])
@role_required(*STATION_ROLES)
def station_sign(partner_id):
    require_event()
    form = SignForm()
    if not form.validate_on_submit():
        if form.is_submitted():
            return jsonify(error="invalid", message=" ".join(e for errs in form.errors.values() for e in errs)), 400
        return sign_page(partner_id, request.args.get("registration", type=int), form)
    try:
        records = services.sign(sign_input(partner_id, form, request), station(current_user, request))
    except DomainError as error:
        return jsonify(error=error.code, message=error.message, field=error.field), 400
    return jsonify(done_url=url_for("signing.station_done", signature_id=records[0].id))


@bp.route("/station/signed/<int:signature_id>")
@role_required(*STATION_ROLES)
def station_done(signature_id):
    record = db.session.get(Signature, signature_id) or abort(404)
    together = queries.signed_together(record)
    return render_template("signing/done.html", record=record, together=together)


@bp.route("/host")
@role_required(*STATION_ROLES)
def host():
    event = require_event()
    return render_template("signing/host.html", queue=queries.host_queue(event.id, 5))


@bp.route("/wall")
@role_required(*STAFF_ROLES)
def wall():
    require_event()
    return render_template("signing/wall.html", feed_url=url_for("signing.wall_feed"))


@bp.route("/wall/feed.json")
@role_required(*STAFF_ROLES)
def wall_feed():
    return _feed(require_event().id)


@bp.route("/wall/<secret>")
def wall_by_link(secret):
    services.wall_event_for(secret) or abort(404)
    return render_template("signing/wall.html", feed_url=url_for("signing.wall_feed_by_link", secret=secret))


@bp.route("/wall/<secret>/feed.json")
def wall_feed_by_link(secret):
    return _feed(services.wall_event_for(secret) or abort(404))


def _feed(event_id: int):
    response = jsonify(queries.wall_feed(event_id))
    response.headers["Cache-Control"] = "no-store"
    return response


from . import partner_views  # noqa: E402,F401 - the organisers' partner pages live on this blueprint too
