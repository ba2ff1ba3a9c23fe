"""CSV and XLSX exports for organisers."""
from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/organiser/exports")
