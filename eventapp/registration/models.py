"""Organisations, registrations and what a signing partner promises."""
import re
import unicodedata

from ..extensions import db

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


def normalise_name(name: str) -> str:
    """Fold case, accents and spacing, so "Gemeente  Den Haag" and "gemeente den haag" match."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", without_accents).strip()


class Organisation(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    normalised_name = db.Column(db.String(200), nullable=False, unique=True)
    type = db.Column(db.String(40), nullable=False, default="other")
    created_at = db.Column(db.DateTime, nullable=False)


class Registration(db.Model):
    __table_args__ = (db.UniqueConstraint("event_id", "email_normalised", name="uq_registration_event_email"),)

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    # The organisation as this person typed it and its type as they chose it; `organisation` is the
    # shared row it was matched to (case and accents folded), for per-organisation views.
    organisation_name = db.Column(db.String(200), nullable=False, default="")
    organisation_type = db.Column(db.String(40), nullable=False, default="other")
    email = db.Column(db.String(254), nullable=False)
    email_normalised = db.Column(db.String(254), nullable=False)
    function = db.Column(db.String(200), nullable=False, default="")
    participation = db.Column(db.String(40), nullable=False)
    accessibility_needs = db.Column(db.Text, nullable=False, default="")
    dietary_wishes = db.Column(db.Text, nullable=False, default="")
    photo_consent = db.Column(db.Boolean, nullable=False, default=False)
    privacy_consent_at = db.Column(db.DateTime, nullable=False)
    newsletter_opt_in = db.Column(db.Boolean, nullable=False, default=False)
    monitoring_consent = db.Column(db.Boolean, nullable=False, default=False)
    language = db.Column(db.String(5), nullable=False, default="nl")
    status = db.Column(db.String(20), nullable=False, index=True)
    # Order of arrival (the event's seat_sequence at the time); the waitlist is served in this order.
    sequence = db.Column(db.Integer, nullable=False)
    ticket_secret = db.Column(db.String(40), nullable=False, unique=True)
    manage_secret = db.Column(db.String(40), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False)
    updated_at = db.Column(db.DateTime, nullable=False)
    cancelled_at = db.Column(db.DateTime, nullable=True)
    promoted_at = db.Column(db.DateTime, nullable=True)
    checked_in_at = db.Column(db.DateTime, nullable=True)
    checked_in_by = db.Column(db.String(200), nullable=True)  # device or staff name, as shown at the door
    # How the registration came in: rsvp (the public form), walk_in (at the door), organiser (by hand), invitation.
    source = db.Column(db.String(20), nullable=False, default="rsvp")
    # Organisers' own remarks about this registration; never shown to the registrant.
    internal_notes = db.Column(db.Text, nullable=False, default="", server_default="")
    anonymised_at = db.Column(db.DateTime, nullable=True)  # set once the person's details have been erased

    organisation = db.relationship("Organisation", lazy="joined")
    event = db.relationship("Event")
    commitments = db.relationship("Commitment", order_by="Commitment.activity", cascade="all, delete-orphan")
    suggested_partners = db.relationship("SuggestedPartner", cascade="all, delete-orphan")

    @property
    def is_signatory(self) -> bool:
        return self.participation == "signatory"

    def commitment_for(self, activity: int) -> str:
        return next((c.text for c in self.commitments if c.activity == activity), "")


class Commitment(db.Model):
    """A signing partner's planned activities under one of the pledge's three activities (the "A4")."""

    __table_args__ = (db.UniqueConstraint("registration_id", "activity", name="uq_commitment_activity"),)

    id = db.Column(db.Integer, primary_key=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=False)
    activity = db.Column(db.Integer, nullable=False)
    text = db.Column(db.Text, nullable=False)


class SuggestedPartner(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=False, index=True)
    organisation = db.Column(db.String(200), nullable=False)
    contact_name = db.Column(db.String(200), nullable=False, default="")
    email = db.Column(db.String(254), nullable=False, default="")


class RegistrationLog(db.Model):
    """Append-only history of a registration: who did what, when, from where."""

    id = db.Column(db.Integer, primary_key=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False)
    action = db.Column(db.String(40), nullable=False)  # registered, changed, cancelled, promoted, ...
    actor = db.Column(db.String(200), nullable=False, default="registrant")
    detail = db.Column(db.Text, nullable=False, default="")
