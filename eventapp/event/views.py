"""The public event page, the privacy statement and the health check."""
from flask import Blueprint, jsonify, render_template
from flask_babel import get_locale

from .services import current_event, database_answers, registration_state, seats_left

bp = Blueprint("event", __name__)


@bp.route("/")
def index():
    event = current_event()
    if event is None:
        return render_template("event/no_event.html"), 503
    return render_template("event/index.html", event=event, language=str(get_locale()),
                           state=registration_state(event), seats_left=seats_left(event))


@bp.route("/privacy")
def privacy():
    return render_template("event/privacy.html", event=current_event())


@bp.route("/healthz")
def healthz():
    database_answers()  # raises (and so answers 500) when the database is away
    return jsonify(status="ok")
