"""Staff login and logout."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..errors import DomainError
from ..extensions import db, limiter, login_manager
from .forms import LoginForm
from .models import Device, StaffUser
from .services import authenticate

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {"organiser": "organiser.dashboard_page", "door": "checkin.scanner", "signing": "signing.station_home"}


@login_manager.user_loader
def load_user(user_id: str):
    """A staff user ("3") or a paired device ("device:2"); a revoked device or disabled user is nobody."""
    kind, _sep, number = user_id.rpartition(":")
    if not number.isdigit():
        return None
    model = {"": StaffUser, "device": Device}.get(kind)
    found = db.session.get(model, int(number)) if model else None
    return found if found is not None and found.is_active else None


def safe_next(target: str | None) -> str | None:
    """Only follow a ?next= that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for(HOME_BY_ROLE[user.role]))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have been logged out."), "success")
    return redirect(url_for("auth.login"))
