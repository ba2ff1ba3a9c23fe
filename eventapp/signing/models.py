"""The pledge text as versions, each with the SHA-256 of its exact text."""
import hashlib

from ..extensions import db


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PledgeVersion(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.Integer, db.ForeignKey("event.id"), nullable=False, index=True)
    text = db.Column(db.Text, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False)
