"""RSVP pages: the form, the change page and the cancel confirmation."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import limiter
from ..event.services import registration_state, require_event, seats_left
from ..invitations.services import find_invitation, invitation_required
from . import services
from .choices import PLEDGE_ACTIVITIES
from .forms import ConfirmForm, DetailsForm, RegistrationForm, show_refusal

bp = Blueprint("registration", __name__)


def registration_or_404(secret: str):
    registration = services.find_by_manage_secret(secret)
    if registration is None:
        abort(404)
    g.page_language = registration.language
    return registration


# Per visitor address: generous for a municipality behind one address, a wall for a script.
FORM_POSTS = "20 per minute;200 per hour"


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(FORM_POSTS, methods=["POST"])
def register():
    event = require_event()
    form = RegistrationForm()
    if not form.is_submitted():
        form.language.data = str(get_locale())
        form.fill_from_invitation(find_invitation(request.args.get("invitation", "")))
    if form.validate_on_submit():
        try:
            outcome = services.register(form.to_data())
        except DomainError as error:
            show_refusal(form, error)
        else:
            if outcome.duplicate:
                return render_template("registration/duplicate.html", event=event, email=form.email.data)
            flash(_("Thank you, your registration has been received. We have sent you an e-mail."), "success")
            return redirect(url_for("tickets.manage", secret=outcome.registration.manage_secret))
    return render_template("registration/register.html", event=event, form=form, activities=PLEDGE_ACTIVITIES,
                           state=registration_state(event), seats_left=seats_left(event),
                           invitation_only=invitation_required(event) and not form.invitation.data), 200 if not form.errors else 422


@bp.route("/ticket/<secret>/edit", methods=["GET", "POST"])
@limiter.limit(FORM_POSTS, methods=["POST"])
def edit(secret):
    registration = registration_or_404(secret)
    form = DetailsForm()
    if not form.is_submitted():
        form.fill_from(registration)
    if form.validate_on_submit():
        try:
            changed = services.change(registration, form.to_data())
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("Your changes have been saved. We have sent you a confirmation.") if changed
                  else _("Nothing was changed."), "success")
            return redirect(url_for("tickets.manage", secret=secret))
    return render_template("registration/edit.html", registration=registration, event=registration.event,
                           form=form, activities=PLEDGE_ACTIVITIES), 200 if not form.errors else 422


@bp.route("/ticket/<secret>/cancel", methods=["GET", "POST"])
@limiter.limit(FORM_POSTS, methods=["POST"])
def cancel(secret):
    registration = registration_or_404(secret)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.cancel(registration)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Your registration has been cancelled. Thank you for letting us know."), "success")
        return redirect(url_for("tickets.manage", secret=secret))
    return render_template("registration/cancel.html", registration=registration, event=registration.event, form=form)
