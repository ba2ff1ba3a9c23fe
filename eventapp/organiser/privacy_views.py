"""Privacy requests from the console: export one person's data as JSON, anonymise one person."""
import json

from flask import Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from . import privacy
from .forms import ActionForm
from .views import bp, organiser_only, registration_or_404


@bp.route("/registrations/<int:registration_id>/privacy-export", methods=["POST"])
@organiser_only
def privacy_export(registration_id):
    registration = registration_or_404(registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    data = privacy.export_person(registration, current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="registration-{registration_id}.json"',
        "Cache-Control": "no-store"})


@bp.route("/registrations/<int:registration_id>/anonymise", methods=["POST"])
@organiser_only
def anonymise(registration_id):
    registration = registration_or_404(registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        privacy.anonymise(registration, current_user)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_("The registration has been anonymised."), "success")
    return redirect(url_for("organiser.registration", registration_id=registration_id))
