"""The check-in log: one append-only row per scan, lookup admission, walk-in and undo."""
from ..extensions import db

ADMITTED, ALREADY, UNKNOWN, CANCELLED, WAITLISTED = "admitted", "already_checked_in", "unknown", "cancelled", "waitlisted"
UNDONE, NOT_CHECKED_IN = "undone", "not_checked_in"
VERDICTS = (ADMITTED, ALREADY, UNKNOWN, CANCELLED, WAITLISTED)


class CheckinScan(db.Model):
    """Every attempt at the door, admitted or refused; an undo is a new row, never a deletion."""

    # A client's nonce is unique per credential: a retried request finds the first attempt's row.
    __table_args__ = (db.UniqueConstraint("actor_key", "nonce", name="uq_checkin_scan_actor_nonce"),)

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=True, index=True)
    at = db.Column(db.DateTime, nullable=False, index=True)
    action = db.Column(db.String(20), nullable=False)  # scan, lookup, walk_in, undo
    verdict = db.Column(db.String(30), nullable=False)
    entrance = db.Column(db.String(100), nullable=False, default="")  # the device's name, or the staff user's
    actor_key = db.Column(db.String(40), nullable=False)  # "device:2" or "user:5"
    actor_name = db.Column(db.String(200), nullable=False, default="")
    nonce = db.Column(db.String(64), nullable=True)

    registration = db.relationship("Registration")
