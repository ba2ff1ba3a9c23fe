"""The door's JSON API (/api/v1): check in, undo, lookup and counters, for the scanner page and handheld apps.

A request authenticates with `Authorization: Bearer <device token>` or with a logged-in staff session plus
its CSRF token (header X-CSRFToken). Every refusal is JSON: 400 for bad input, 401 without valid
credentials, 403 for a role that does not work the door.
"""
from functools import wraps

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.devices import device_for_token
from ..errors import DomainError
from ..extensions import csrf, limiter
from . import services
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer-token clients have no CSRF token; session clients are checked in `door_actor`
limiter.exempt(bp)  # the door must never be told to wait; only staff with a valid credential get this far

DOOR_ROLES = ("door", "organiser")
MAX_SECRET_LENGTH = 256
MAX_BODY_BYTES = 4096  # a secret, a nonce and a source fit many times over


def _bearer_token() -> str | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def door_actor():
    """The device (bearer token) or staff member (session + CSRF token) making this request; 401/403 otherwise."""
    if "Authorization" in request.headers:
        device = device_for_token(_bearer_token() or "")
        if device is None:
            abort(401)
        if device.role not in DOOR_ROLES:
            abort(403)
        return device
    if not current_user.is_authenticated:
        abort(401)
    if current_user.role not in DOOR_ROLES:
        abort(403)
    if request.method == "POST":
        csrf.protect()
    return current_user._get_current_object()


def door_api(view):
    """Run `view(actor)` for an authenticated door device or staff member (the url_map walk reads the roles)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(door_actor(), *args, **kwargs)

    wrapped.required_roles = DOOR_ROLES
    return wrapped


def _json_body(allowed: set[str], required: set[str]) -> dict:
    """The request's JSON object with only `allowed` keys and every `required` one, else a 400."""
    if request.content_length is None or request.content_length > MAX_BODY_BYTES:
        raise DomainError("bad_request", _("Send a JSON object of at most 4 kB."))
    try:
        body = request.get_json(silent=True) if request.is_json else None
    except RecursionError:  # deeply nested JSON: json.loads gives up, and so do we
        body = None
    if not isinstance(body, dict):
        raise DomainError("bad_request", _("Send a JSON object with Content-Type application/json."))
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: %(fields)s.", fields=", ".join(unknown)))
    missing = sorted(required - set(body))
    if missing:
        raise DomainError("missing_field", _("Missing field: %(fields)s.", fields=", ".join(missing)))
    secret = body.get("secret")
    if not isinstance(secret, str) or len(secret) > MAX_SECRET_LENGTH:
        raise DomainError("bad_secret", _("The secret must be the text of the QR code, at most 256 characters."))
    return body


@bp.post("/checkin")
@door_api
def checkin(actor):
    body = _json_body({"secret", "nonce", "source"}, {"secret"})
    action = "lookup" if body.get("source") == "lookup" else "scan"
    if body.get("source") not in (None, "scan", "lookup"):
        raise DomainError("bad_source", _("The source must be “scan” or “lookup”."))
    return jsonify(services.check_in(body["secret"], actor, body.get("nonce"), action).as_json())


@bp.post("/checkin/undo")
@door_api
def undo(actor):
    body = _json_body({"secret", "nonce"}, {"secret"})
    return jsonify(services.undo(body["secret"], actor, body.get("nonce")).as_json())


@bp.get("/lookup")
@door_api
def lookup(actor):
    people = services.lookup(request.args.get("q", ""))
    return jsonify(results=[{"secret": p.ticket_secret, **services.Verdict(p.status, p).attendee(),
                             "checked_in_at": p.checked_in_at.isoformat(timespec="seconds") + "Z" if p.checked_in_at else None,
                             "checked_in_by": p.checked_in_by} for p in people])


@bp.get("/checkin/stats")
@door_api
def stats(actor):
    return jsonify(services.door_counts())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
