"""OutboxMessage: one mail, kept until delivered (and afterwards, as a record)."""
from ..extensions import db

from flask_babel import lazy_gettext as _l

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUS_LABELS = {QUEUED: _l("Queued"), SENDING: _l("Sending"), SENT: _l("Sent"), FAILED: _l("Failed")}


class OutboxMessage(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(40), nullable=False)  # confirmation, waitlisted, promoted, changed, cancelled, ...
    recipient = db.Column(db.String(254), nullable=False)
    language = db.Column(db.String(5), nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    text = db.Column(db.Text, nullable=False)
    html = db.Column(db.Text, nullable=False)
    # Attachments are recipes ([{"builder": "ticket_pdf", "registration_id": 7}]), built at delivery
    # time: a slow or failing PDF never holds up or loses the RSVP, it is simply retried.
    attachments = db.Column(db.JSON, nullable=False, default=list)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=True, index=True)
    # The organisers' mailing (organiser.models.Mailing) this mail belongs to, for its progress page.
    mailing_id = db.Column(db.Integer, nullable=True, index=True)
    status = db.Column(db.String(20), nullable=False, default=QUEUED, index=True)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    last_error = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False)
    claimed_at = db.Column(db.DateTime, nullable=True)
    sent_at = db.Column(db.DateTime, nullable=True)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))
