"""Read-only questions other domains ask about partners and signatures (the console, print views)."""
from sqlalchemy import select

from ..extensions import db
from .models import Partner, Signature


def partners(event_id: int) -> list[Partner]:
    """Active partners in ceremony order (unplaced ones last, by name)."""
    return list(db.session.execute(
        select(Partner).where(Partner.event_id == event_id, Partner.active.is_(True))
        .order_by(Partner.running_order.is_(None), Partner.running_order, Partner.name)
    ).scalars())


def effective_signatures(event_id: int) -> dict[int, Signature]:
    """Each partner's standing signature record: the latest signature or correction not withdrawn since."""
    standing: dict[int, Signature] = {}
    records = db.session.execute(
        select(Signature).where(Signature.event_id == event_id).order_by(Signature.sequence)
    ).scalars()
    for record in records:
        if record.kind == "withdrawal":
            standing.pop(record.partner_id, None)
        else:
            standing[record.partner_id] = record
    return standing


def signed_partner_ids(event_id: int) -> set[int]:
    """Partners who signed on the tablet (and have not withdrawn) or on paper."""
    on_paper = {p.id for p in partners(event_id) if p.paper_signed_at is not None}
    return set(effective_signatures(event_id)) | on_paper


def signatures_for(registration_id: int) -> list[Signature]:
    """Every evidence record made by one registrant, in chain order (for the registration's history)."""
    return list(db.session.execute(
        select(Signature).where(Signature.registration_id == registration_id).order_by(Signature.sequence)
    ).scalars())
