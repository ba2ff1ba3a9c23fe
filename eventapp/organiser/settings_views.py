"""Settings pages: the event, and the staff accounts."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.services import staff_users
from ..errors import DomainError
from ..event.services import require_event
from ..registration.forms import show_refusal
from . import settings, staff
from .forms import ActionForm, EventForm, StaffForm
from .views import bp, organiser_only


@bp.route("/settings", methods=["GET", "POST"])
@organiser_only
def settings_page():
    form = EventForm()
    if not form.is_submitted():
        form.process(data=settings.form_values(require_event()))
    if form.validate_on_submit():
        try:
            outcome = settings.update_event(form.data, current_user, announce=form.announce.data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("The settings have been saved.") if outcome["changed"] else _("Nothing was changed."), "success")
            if outcome["announced"]:
                flash(ngettext("The change has been announced to %(num)d registrant.",
                               "The change has been announced to %(num)d registrants.", outcome["announced"]), "success")
            return redirect(url_for("organiser.settings_page"))
    return render_template("organiser/settings.html", form=form), 200 if not form.errors else 422


def _staff_page(form=None, password=None, user=None, status=200):
    return render_template("organiser/staff.html", users=staff_users(), devices=staff.devices(), form=form or StaffForm(),
                           action=ActionForm(), password=password, password_user=user), status


@bp.route("/staff", methods=["GET", "POST"])
@organiser_only
def staff_page():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user, password = staff.add(form.email.data, form.name.data, form.role.data, current_user)
        except DomainError as error:
            show_refusal(form, error)
        else:
            # Shown once in this response, never stored or put in a cookie.
            return _staff_page(password=password, user=user)
    return _staff_page(form, status=200 if not form.errors else 422)


def _set_active(user_id: int, active: bool):
    user = staff.get_user(user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        staff.set_active(user, active, current_user)
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("organiser.staff_page"))


@bp.route("/staff/<int:user_id>/disable", methods=["POST"])
@organiser_only
def staff_disable(user_id):
    return _set_active(user_id, False)


@bp.route("/staff/<int:user_id>/enable", methods=["POST"])
@organiser_only
def staff_enable(user_id):
    return _set_active(user_id, True)


@bp.route("/staff/<int:user_id>/reset", methods=["POST"])
@organiser_only
def staff_reset(user_id):
    user = staff.get_user(user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _staff_page(password=staff.reset_password(user, current_user), user=user)
