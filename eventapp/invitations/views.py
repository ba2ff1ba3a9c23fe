"""Invitation pages: the organiser's import and sending, the invitee's personal link."""
from flask import Blueprint

bp = Blueprint("invitations", __name__)
