"""Invitation pages: the organiser's import and sending, the invitee's personal link."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import limiter
from ..registration.forms import ConfirmForm
from ..security import role_required
from . import services
from .forms import UploadForm, chosen_ids
from .models import DECLINED, NEW, OPENED, REGISTERED, SENT

bp = Blueprint("invitations", __name__)

STATES = (NEW, SENT, OPENED, REGISTERED, DECLINED)


@bp.route("/organiser/invitations/")
@role_required("organiser")
def index():
    state = request.args.get("state") if request.args.get("state") in STATES else None
    invitations, counts = services.invitation_list(state)
    return render_template("invitations/index.html", invitations=invitations, counts=counts, state=state,
                           states=STATES, form=ConfirmForm())


@bp.route("/organiser/invitations/import", methods=["GET", "POST"])
@role_required("organiser")
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            upload = services.preview_import(form.file.data.filename, form.file.data.read(), current_user.display_name)
        except DomainError as error:
            form.file.errors = list(form.file.errors) + [error.message]
        else:
            return redirect(url_for("invitations.preview", token=upload.token))
    return render_template("invitations/upload.html", form=form), 200 if not form.errors else 422


@bp.route("/organiser/invitations/import/<token>", methods=["GET", "POST"])
@role_required("organiser")
def preview(token):
    upload = services.find_import(token) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            created = services.confirm_import(upload, current_user.display_name)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("%(n)d invitations added. They are sent when you press “Send invitations”.", n=created), "success")
        return redirect(url_for("invitations.index"))
    return render_template("invitations/preview.html", upload=upload, form=form)


@bp.route("/organiser/invitations/send", methods=["POST"])
@role_required("organiser")
def send():
    return _send_batch(services.send_invitations)


@bp.route("/organiser/invitations/remind", methods=["POST"])
@role_required("organiser")
def remind():
    return _send_batch(services.send_reminders)


def _send_batch(service):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    # "Only the ticked ones" with none ticked sends nothing (never everyone by mistake).
    ids = None if request.form.get("scope") == "all" else chosen_ids(request.form.getlist("invitation"))
    try:
        batch, _count = service(ids, actor=current_user._get_current_object())
    except DomainError as error:
        if error.code != "nothing_to_send":
            raise  # e.g. no event yet: the error page says so
        flash(error.message, "error")
        return redirect(url_for("invitations.index"))
    return redirect(url_for("invitations.progress", batch=batch))


@bp.route("/organiser/invitations/progress/<batch>")
@role_required("organiser")
def progress(batch):
    counts = services.progress(batch)
    if not counts["total"]:
        abort(404)
    return render_template("invitations/progress.html", batch=batch, counts=counts)


@bp.route("/organiser/invitations/progress/<batch>.json")
@role_required("organiser")
def progress_json(batch):
    return jsonify(services.progress(batch))


@bp.route("/organiser/invitations/suggested", methods=["GET", "POST"])
@role_required("organiser")
def suggested():
    form = ConfirmForm()
    if form.validate_on_submit():
        # None ticked means all: turning every suggestion into an invitation is the page's one action.
        created = services.invite_suggested(chosen_ids(request.form.getlist("suggestion")) or None, current_user.display_name)
        flash(_("%(n)d invitations added. They are sent when you press “Send invitations”.", n=created), "success")
        return redirect(url_for("invitations.index"))
    return render_template("invitations/suggested.html", suggestions=services.suggested_partners(), form=form)


# -- the invitee ---------------------------------------------------------------------------------------------------

def _invitation_or_404(secret):
    return services.find_invitation(secret) or abort(404)


@bp.route("/i/<secret>")
@limiter.limit("60 per minute")
def open_link(secret):
    """The personal link: noted as opened, then the RSVP form filled in with what we know."""
    invitation = services.open_invitation(_invitation_or_404(secret))
    return redirect(url_for("registration.register", invitation=invitation.secret, lang=invitation.language))


@bp.route("/i/<secret>/decline", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def decline(secret):
    invitation = _invitation_or_404(secret)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.decline(invitation)
        except DomainError as error:
            flash(error.message, "error")
    return render_template("invitations/decline.html", invitation=invitation, form=form,
                           event=services.require_event())
