"""Pledge versions, signing partners and the hash-chained signature evidence."""
import hashlib

from ..extensions import db


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PledgeVersion(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False, default=1)
    text = db.Column(db.Text, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.String(200), nullable=False, default="")


class Partner(db.Model):
    """An organisation expected to sign: from a signatory's RSVP or added by an organiser."""

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    organisation_id = db.Column(db.Integer, db.ForeignKey("organisation.id"), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)  # as printed on the sheet and the wall
    running_order = db.Column(db.Integer, nullable=True)  # place in the ceremony; None: not yet placed
    paper_signed_at = db.Column(db.DateTime, nullable=True)  # signed in wet ink instead of on the tablet
    paper_scan = db.Column(db.LargeBinary, nullable=True)
    paper_scan_type = db.Column(db.String(40), nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)  # False once merged into another partner
    created_at = db.Column(db.DateTime, nullable=False)
    # The partner this one was merged into (two spellings of one organisation); its registrants follow.
    merged_into_id = db.Column(db.Integer, db.ForeignKey("partner.id"), nullable=True)

    organisation = db.relationship("Organisation")


class Signature(db.Model):
    """One append-only evidence record; `record_hash` chains it to the record before it."""

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    # Position in the chain; unique, so two stations can never both extend the same record.
    sequence = db.Column(db.Integer, nullable=False, unique=True)
    kind = db.Column(db.String(20), nullable=False, default="signature")  # signature, withdrawal, correction
    partner_id = db.Column(db.Integer, db.ForeignKey("partner.id"), nullable=False, index=True)
    registration_id = db.Column(db.Integer, db.ForeignKey("registration.id"), nullable=True)
    organisation_name = db.Column(db.String(200), nullable=False)
    signer_name = db.Column(db.String(200), nullable=False)
    signer_function = db.Column(db.String(200), nullable=False, default="")
    pledge_version_id = db.Column(db.Integer, db.ForeignKey("pledge_version.id"), nullable=False)
    pledge_sha256 = db.Column(db.String(64), nullable=False)
    image_png = db.Column(db.LargeBinary, nullable=True)
    strokes = db.Column(db.Text, nullable=False, default="[]")  # JSON: [[{x, y, t, p}, ...], ...]
    signed_at = db.Column(db.DateTime, nullable=False)
    device_name = db.Column(db.String(100), nullable=False, default="")
    user_name = db.Column(db.String(200), nullable=False, default="")
    client_ip = db.Column(db.String(64), nullable=False, default="")
    user_agent = db.Column(db.String(500), nullable=False, default="")
    corrects_id = db.Column(db.Integer, db.ForeignKey("signature.id"), nullable=True)
    prev_hash = db.Column(db.String(64), nullable=False)
    record_hash = db.Column(db.String(64), nullable=False, unique=True)

    partner = db.relationship("Partner")
    pledge_version = db.relationship("PledgeVersion")

    @property
    def verification_code(self) -> str:
        """The short form printed on the PDF and the sheet: the first 12 hex digits in groups of four."""
        head = self.record_hash[:12].upper()
        return "-".join(head[i:i + 4] for i in range(0, 12, 4))


class PartnerLog(db.Model):
    """Append-only journal of organiser changes to partners: add, edit, merge, order, paper signature."""

    id = db.Column(db.Integer, primary_key=True)
    partner_id = db.Column(db.Integer, db.ForeignKey("partner.id"), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False)
    action = db.Column(db.String(40), nullable=False)
    actor = db.Column(db.String(200), nullable=False, default="")
    detail = db.Column(db.Text, nullable=False, default="")


class WallLink(db.Model):
    """The secret link that opens the projector's live wall without a staff login."""

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, unique=True)
    secret = db.Column(db.String(40), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False)
