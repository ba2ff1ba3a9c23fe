"""The console's own tables: the audit journal and organisers' mailings."""
from ..extensions import db


class AuditEntry(db.Model):
    """One organiser action: who, when, what, on which target, and the old and new values (append-only)."""

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, index=True)
    actor = db.Column(db.String(254), nullable=False)  # the staff member's e-mail address (or "cli")
    actor_name = db.Column(db.String(200), nullable=False, default="")
    action = db.Column(db.String(40), nullable=False, index=True)  # registration.cancel, event.update, ...
    target = db.Column(db.String(100), nullable=False, default="", index=True)  # "registration:12", "event", "staff:3"
    detail = db.Column(db.JSON, nullable=False, default=dict)


class Mailing(db.Model):
    """A mail to a filtered set of registrants, written in Dutch and English; one outbox row per recipient."""

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False, default="mailing")  # mailing, announcement
    subject_nl = db.Column(db.String(300), nullable=False)
    body_nl = db.Column(db.Text, nullable=False)
    subject_en = db.Column(db.String(300), nullable=False)
    body_en = db.Column(db.Text, nullable=False)
    filters = db.Column(db.JSON, nullable=False, default=dict)
    recipient_count = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.String(254), nullable=False)
