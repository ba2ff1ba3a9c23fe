"""Print views (HTML with print CSS, and PDF): signing sheet, badges, commitments booklet."""
from flask import Blueprint

bp = Blueprint("printing", __name__, url_prefix="/organiser/print")
