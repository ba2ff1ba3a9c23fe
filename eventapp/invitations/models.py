"""Invitees with their personal link, the uploads waiting for confirmation, and the mails sent to invitees."""
from ..extensions import db

NEW, SENT, OPENED, REGISTERED, DECLINED = "new", "sent", "opened", "registered", "declined"
UNANSWERED = (SENT, OPENED)


class Invitation(db.Model):
    """One invitee: who, their personal link's secret, and how far they got (sent, opened, registered, declined)."""

    __table_args__ = (db.UniqueConstraint("event_id", "email_normalised", name="uq_invitation_event_email"),)

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    secret = db.Column(db.String(40), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    email = db.Column(db.String(254), nullable=False)
    email_normalised = db.Column(db.String(254), nullable=False)
    organisation = db.Column(db.String(200), nullable=False, default="")
    organisation_type = db.Column(db.String(40), nullable=False, default="other")
    language = db.Column(db.String(5), nullable=False, default="nl")
    state = db.Column(db.String(20), nullable=False, default=NEW, index=True)
    source = db.Column(db.String(20), nullable=False, default="import")  # import, suggested
    suggested_partner_id = db.Column(db.Integer, db.ForeignKey("suggested_partner.id", ondelete="SET NULL"),
                                     nullable=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id", ondelete="SET NULL"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.String(200), nullable=False, default="")
    sent_at = db.Column(db.DateTime, nullable=True)
    opened_at = db.Column(db.DateTime, nullable=True)
    registered_at = db.Column(db.DateTime, nullable=True)
    declined_at = db.Column(db.DateTime, nullable=True)
    reminded_at = db.Column(db.DateTime, nullable=True)
    reminders = db.Column(db.Integer, nullable=False, default=0)


class InvitationImport(db.Model):
    """An uploaded list, parsed and checked, kept server-side until the organiser confirms it (nothing saved before)."""

    id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(40), nullable=False, unique=True)
    filename = db.Column(db.String(200), nullable=False, default="")
    rows = db.Column(db.JSON, nullable=False, default=list)  # [{"line": 3, "name": ..., "problems": [...]}, ...]
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.String(200), nullable=False, default="")
    confirmed_at = db.Column(db.DateTime, nullable=True)


class InvitationMail(db.Model):
    """Which outbox row carried which invitation or reminder, grouped by sending batch (for the progress view)."""

    id = db.Column(db.Integer, primary_key=True)
    batch = db.Column(db.String(40), nullable=False, index=True)
    kind = db.Column(db.String(20), nullable=False)  # invitation, reminder
    invitation_id = db.Column(db.Integer, db.ForeignKey("invitation.id", ondelete="CASCADE"), nullable=False, index=True)
    outbox_message_id = db.Column(db.Integer, db.ForeignKey("outbox_message.id", ondelete="CASCADE"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
