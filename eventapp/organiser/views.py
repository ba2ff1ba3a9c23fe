"""Organiser console pages: dashboard, registrations (table, detail, actions) and the audit log."""
import json

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..registration.choices import ORGANISATION_TYPES, PARTICIPATIONS, PLEDGE_ACTIVITIES
from ..registration.forms import DetailsForm, RegistrationForm, show_refusal
from ..security import role_required
from . import audit, dashboard, queries, services
from .forms import ActionForm, NotesForm

bp = Blueprint("organiser", __name__, url_prefix="/organiser")

organiser_only = role_required("organiser")


@bp.context_processor
def labels():
    """Translated labels for stored codes, for every console page."""
    from ..registration.choices import label

    return {"status_label": lambda code: str(queries.STATUS_LABELS.get(code, code)),
            "participation_label": lambda code: label(PARTICIPATIONS, code),
            "type_label": lambda code: label(ORGANISATION_TYPES, code),
            "detail_text": lambda detail: json.dumps(detail, ensure_ascii=False, default=str)}


def registration_or_404(registration_id: int):
    return services.get_registration(registration_id) or abort(404)


@bp.route("/")
@organiser_only
def dashboard_page():
    return render_template("organiser/dashboard.html", stats=dashboard.summary(), charts=dashboard.charts())


@bp.route("/dashboard.json")
@organiser_only
def dashboard_json():
    """The dashboard's numbers, polled on the day by static/js/organiser-dashboard.js."""
    return jsonify(dashboard.live_numbers())


@bp.route("/registrations")
@organiser_only
def registrations():
    criteria = queries.RegistrationFilter.from_args(request.args)
    return render_template("organiser/registrations.html", page=queries.registrations_page(criteria),
                           criteria=criteria, statuses=queries.STATUSES, participations=PARTICIPATIONS,
                           organisation_types=ORGANISATION_TYPES)


@bp.route("/registrations/<int:registration_id>")
@organiser_only
def registration(registration_id):
    registration = registration_or_404(registration_id)
    return render_template("organiser/registration.html", registration=registration,
                           history=queries.history(registration), action=ActionForm(),
                           notes=NotesForm(internal_notes=registration.internal_notes))


def _act(registration_id: int, action, success: str):
    """Run a one-button action on a registration, then show its page with the outcome."""
    registration = registration_or_404(registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(registration, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("organiser.registration", registration_id=registration_id))


@bp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@organiser_only
def cancel(registration_id):
    return _act(registration_id, services.cancel, _("The registration has been cancelled."))


@bp.route("/registrations/<int:registration_id>/promote", methods=["POST"])
@organiser_only
def promote(registration_id):
    return _act(registration_id, services.move_from_waitlist, _("This person now has a seat and has been told so."))


@bp.route("/registrations/<int:registration_id>/resend", methods=["POST"])
@organiser_only
def resend(registration_id):
    return _act(registration_id, services.resend_ticket, _("The ticket has been sent again."))


@bp.route("/registrations/<int:registration_id>/notes", methods=["POST"])
@organiser_only
def notes(registration_id):
    registration = registration_or_404(registration_id)
    form = NotesForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_notes(registration, form.internal_notes.data, current_user)
    flash(_("The notes have been saved."), "success")
    return redirect(url_for("organiser.registration", registration_id=registration_id))


@bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@organiser_only
def edit(registration_id):
    registration = registration_or_404(registration_id)
    form = DetailsForm()
    if not form.is_submitted():
        form.fill_from(registration)
    if form.validate_on_submit():
        try:
            changed = services.edit(registration, form.to_data(), current_user)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("The changes have been saved and the registrant has been told.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("organiser.registration", registration_id=registration_id))
    return render_template("organiser/edit.html", registration=registration, form=form,
                           activities=PLEDGE_ACTIVITIES), 200 if not form.errors else 422


@bp.route("/registrations/new", methods=["GET", "POST"])
@organiser_only
def add():
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration = services.add_by_hand(form.to_data(), current_user)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("The registration has been added and the confirmation has been sent."), "success")
            return redirect(url_for("organiser.registration", registration_id=registration.id))
    return render_template("organiser/add.html", form=form, activities=PLEDGE_ACTIVITIES), 200 if not form.errors else 422


@bp.route("/audit")
@organiser_only
def audit_log():
    args = {key: (request.args.get(key) or "").strip()[:200] for key in ("action", "actor", "target")}
    page = audit.entries(**args, page=request.args.get("page", 1, type=int))
    return render_template("organiser/audit.html", page=page, filters=args, actions=audit.actions())


from . import mailing_views, privacy_views, settings_views  # noqa: E402,F401  (routes on the same blueprint)
