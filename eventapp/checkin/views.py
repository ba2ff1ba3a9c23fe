"""Door pages and the check-in API."""
from flask import Blueprint

bp = Blueprint("checkin", __name__)
