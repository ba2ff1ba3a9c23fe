"""The signature chain: each record's hash covers its evidence and the hash of the record before it."""
import base64
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import PledgeVersion, Signature, text_hash

GENESIS = "0" * 64  # prev_hash of the first record


def evidence(record: Signature) -> dict:
    """Every field the record's hash covers (the image by its SHA-256, so the JSON stays small)."""
    image = record.image_png or b""
    return {
        "sequence": record.sequence,
        "kind": record.kind,
        "corrects_id": record.corrects_id,
        "organisation": record.organisation_name,
        "registration_id": record.registration_id,
        "signer_name": record.signer_name,
        "signer_function": record.signer_function,
        "pledge_sha256": record.pledge_sha256,
        "image_sha256": hashlib.sha256(image).hexdigest() if image else None,
        "strokes": record.strokes,
        "signed_at": record.signed_at.isoformat(timespec="microseconds"),
        "device": record.device_name,
        "user": record.user_name,
        "ip": record.client_ip,
        "user_agent": record.user_agent,
    }


def canonical_json(fields: dict) -> str:
    """One spelling of the evidence: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record: Signature, prev_hash: str) -> str:
    payload = canonical_json(evidence(record)) + prev_hash
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def seal(record: Signature, prev_hash: str) -> None:
    """Link the record to its predecessor and fix its hash (before it is first written)."""
    record.prev_hash = prev_hash
    record.record_hash = record_hash(record, prev_hash)


def tail() -> Signature | None:
    """The last record of the chain (one chain per deployment, as there is one event)."""
    return db.session.execute(select(Signature).order_by(Signature.sequence.desc()).limit(1)).scalar_one_or_none()


@dataclass
class Break:
    """The first record that does not fit the chain, and why."""

    record: Signature
    reason: str


def first_break() -> Break | None:
    """Recompute the whole chain in sequence order; None when every record is intact and linked."""
    prev_hash, expected_sequence = GENESIS, 1
    # The text each record signed must still hash to what the record holds: the exact text stays recoverable.
    texts = {version.id: text_hash(version.text) for version in db.session.execute(select(PledgeVersion)).scalars()}
    for record in db.session.execute(select(Signature).order_by(Signature.sequence)).scalars():
        if record.sequence != expected_sequence:
            return Break(record, f"sequence {record.sequence}, expected {expected_sequence}")
        if record.prev_hash != prev_hash:
            return Break(record, "prev_hash does not match the record before it")
        if record_hash(record, prev_hash) != record.record_hash:
            return Break(record, "record_hash does not match its evidence")
        if texts.get(record.pledge_version_id) != record.pledge_sha256:
            return Break(record, "the stored pledge text no longer matches the SHA-256 it signed")
        prev_hash, expected_sequence = record.record_hash, expected_sequence + 1
    return None


def image_data_uri(record: Signature) -> str:
    return "data:image/png;base64," + base64.b64encode(record.image_png or b"").decode()
