"""The organisers' view of the outbox: every mail, queued or sent, readable in the browser."""
from flask import Blueprint, Response, abort, render_template, request

from ..security import role_required
from .attachments import describe
from .models import STATUS_LABELS
from .services import outbox_message, outbox_page, outbox_summary

bp = Blueprint("mail", __name__, url_prefix="/organiser/outbox")

PAGE_SIZE = 50


@bp.route("/")
@role_required("organiser")
def outbox():
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    page = outbox_page(status, request.args.get("page", 1, type=int), PAGE_SIZE)
    return render_template("mail/outbox.html", page=page, summary=outbox_summary(), status=status)


@bp.route("/<int:message_id>")
@role_required("organiser")
def message(message_id):
    message = outbox_message(message_id) or abort(404)
    return render_template("mail/message.html", message=message, attachments=[describe(a) for a in message.attachments])


@bp.route("/<int:message_id>/body.html")
@role_required("organiser")
def message_html(message_id):
    """The mail's HTML on its own, for a sandboxed frame: no scripts, nothing from other hosts."""
    message = outbox_message(message_id) or abort(404)
    response = Response(message.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox; frame-ancestors 'self'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
