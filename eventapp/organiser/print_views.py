"""Print views (HTML with print CSS, and PDF): signing sheet, badges, commitments booklet."""
from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import lazy_gettext as _l

from ..security import role_required
from . import printing

bp = Blueprint("printing", __name__, url_prefix="/organiser/print")

TITLES = {"signing_sheet": _l("Signing sheet"), "badges": _l("Name badges"), "commitments": _l("Commitments booklet")}
FILENAMES = {"signing_sheet": "ondertekeningsblad.pdf", "badges": "naambadges.pdf", "commitments": "toezeggingen.pdf"}


def _known(view: str) -> str:
    if view not in printing.VIEWS:
        abort(404)
    return view


@bp.route("/")
@role_required("organiser")
def index():
    return render_template("organiser/print/index.html", views=list(TITLES.items()))


@bp.route("/<view>")
@role_required("organiser")
def view(view):
    context = printing.print_context(_known(view))
    return render_template(f"organiser/print/{view}.html", pdf=False, pdf_url=url_for("printing.pdf", view=view), **context)


@bp.route("/<view>.pdf")
@role_required("organiser")
def pdf(view):
    data = printing.render_pdf(_known(view), printing.print_context(view))
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{FILENAMES[view]}"'})
