"""CSV and XLSX exports for organisers."""
from flask import Blueprint, Response, abort, render_template
from flask_babel import lazy_gettext as _l

from .. import clock
from ..security import role_required
from . import exports

bp = Blueprint("exports", __name__, url_prefix="/organiser/exports")

TITLES = {"registrations": _l("Registrations"), "checkins": _l("Check-ins"), "signatures": _l("Signatures"),
          "commitments": _l("Commitments"), "suggested_partners": _l("Suggested partners")}
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.route("/")
@role_required("organiser")
def index():
    return render_template("organiser/exports/index.html", datasets=list(TITLES.items()))


@bp.route("/<dataset>.<fmt>")
@role_required("organiser")
def download(dataset, fmt):
    if dataset not in exports.DATASETS or fmt not in MIMETYPES:
        abort(404)
    filename = f"{dataset}-{clock.now():%Y%m%d-%H%M}.{fmt}"
    return Response(exports.export(dataset, fmt), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
