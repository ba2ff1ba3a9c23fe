"""Door pages: the scanner (with lookup and undo), walk-ins and the paper door list."""
from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..registration.choices import PARTICIPATION_SHORT, label
from ..registration.forms import show_refusal
from ..security import role_required
from . import services
from .forms import WalkInForm

bp = Blueprint("checkin", __name__, url_prefix="/door")

DOOR_ROLES = ("door", "organiser")


@bp.app_template_global()
def participation_label(code: str) -> str:
    """The short label of a way of taking part ("Ondertekenaar", "Gast")."""
    return label(PARTICIPATION_SHORT, code)


@bp.app_template_global()
def participation_labels() -> dict:
    """Every short participation label, for the scanner's script."""
    return {code: str(text) for code, text in PARTICIPATION_SHORT}


@bp.app_template_global()
def now_utc():
    return clock.now()


@bp.get("/")
@role_required(*DOOR_ROLES)
def scanner():
    return render_template("checkin/scanner.html", event=require_event(), counts=services.door_counts())


@bp.route("/walk-in", methods=["GET", "POST"])
@role_required(*DOOR_ROLES)
def walk_in():
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            verdict = services.walk_in(form.name.data, form.organisation.data or "", form.email.data or "",
                                       current_user._get_current_object())
        except DomainError as error:
            show_refusal(form, error)
        else:
            flash(_("Welcome, %(name)s: registered and checked in.", name=verdict.registration.name), "success")
            return redirect(url_for("checkin.scanner"))
    return render_template("checkin/walk_in.html", form=form), 422 if form.errors or form.form_errors else 200


@bp.get("/list")
@role_required(*DOOR_ROLES)
def door_list():
    return render_template("checkin/door_list.html", event=require_event(), people=services.door_list())


@bp.get("/list.pdf")
@role_required(*DOOR_ROLES)
def door_list_pdf():
    from .printing import door_list_pdf as render_pdf

    pdf = render_pdf(require_event(), services.door_list())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="deurlijst.pdf"'})
