"""Signing station, host's view and live wall."""
from flask import Blueprint

bp = Blueprint("signing", __name__)
