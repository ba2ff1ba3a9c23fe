"""The Event: one row per deployment."""
from ..extensions import db


class Event(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    tagline = db.Column(db.String(300), nullable=False, default="")
    description = db.Column(db.Text, nullable=False, default="")
    description_en = db.Column(db.Text, nullable=False, default="")
    programme = db.Column(db.Text, nullable=False, default="")  # one item per line: "09:30 Inloop"
    programme_en = db.Column(db.Text, nullable=False, default="")
    starts_at = db.Column(db.DateTime, nullable=False)  # UTC
    ends_at = db.Column(db.DateTime, nullable=False)  # UTC
    venue_name = db.Column(db.String(200), nullable=False, default="")  # empty: to be announced
    venue_address = db.Column(db.String(300), nullable=False, default="")
    city = db.Column(db.String(100), nullable=False, default="")
    capacity = db.Column(db.Integer, nullable=False)
    registration_opens_at = db.Column(db.DateTime, nullable=True)
    registration_closes_at = db.Column(db.DateTime, nullable=True)
    contact_name = db.Column(db.String(200), nullable=False, default="")
    contact_email = db.Column(db.String(254), nullable=False, default="")
    organisers = db.Column(db.String(500), nullable=False, default="")  # one per line
    # Door policy: may walk-ins be admitted when every seat is taken? (The room, not the seat count, is the limit.)
    walk_ins_beyond_capacity = db.Column(db.Boolean, nullable=False, default=True)
    # "open": anyone may RSVP; "invitation": only invitation links register (enforced by the invitations domain).
    registration_mode = db.Column(db.String(20), nullable=False, default="open", server_default="open")
    # Bumped by every seat-changing transaction: the row lock it takes serialises seat counting.
    seat_sequence = db.Column(db.Integer, nullable=False, default=0)

    @property
    def organiser_list(self) -> list[str]:
        return [line.strip() for line in self.organisers.splitlines() if line.strip()]

    def in_language(self, field: str, language: str) -> str:
        """The English text of a field where one is written, else the Dutch original."""
        english = getattr(self, f"{field}_en", "") if language == "en" else ""
        return english or getattr(self, field)

    def programme_items(self, language: str) -> list[tuple[str, str]]:
        """Split "09:30 Inloop" lines into (time, what) pairs for the page."""
        items = []
        for line in self.in_language("programme", language).splitlines():
            when, _, what = line.strip().partition(" ")
            if line.strip():
                items.append((when, what))
        return items

    @property
    def venue_announced(self) -> bool:
        return bool(self.venue_name.strip())
