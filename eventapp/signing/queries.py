"""Read-only questions other domains ask about partners and signatures (the console, print views)."""
from sqlalchemy import select
from sqlalchemy.orm import defer

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
    # The image and strokes stay unloaded until asked for: the wall polls this every 1.5 s.
    records = db.session.execute(
        select(Signature).where(Signature.event_id == event_id).order_by(Signature.sequence)
        .options(defer(Signature.image_png), defer(Signature.strokes))
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


def wall_feed(event_id: int) -> dict:
    """What the projector shows: signed out of expected, and who signed (organisation and signatory only)."""
    active = partners(event_id)
    standing = effective_signatures(event_id)
    entries = []
    for partner in active:
        record = standing.get(partner.id)
        if record is not None:
            entries.append({"key": f"s{record.sequence}", "order": record.sequence, "organisation": partner.name,
                            "signer": record.signer_name})
        elif partner.paper_signed_at is not None:
            entries.append({"key": f"p{partner.id}", "order": 0, "organisation": partner.name, "signer": ""})
    entries.sort(key=lambda entry: entry["order"])
    for entry in entries:
        del entry["order"]
    return {"signed": len(entries), "expected": len(active), "entries": entries}


def unsigned_in_order(event_id: int) -> list[Partner]:
    """Partners still to sign, in ceremony order."""
    done = signed_partner_ids(event_id)
    return [partner for partner in partners(event_id) if partner.id not in done]


def search_partners(event_id: int, query: str) -> list[Partner]:
    """Active partners whose name contains `query` (case and accents folded)."""
    from ..registration.models import normalise_name

    needle = normalise_name(query or "")
    return [partner for partner in partners(event_id) if needle in normalise_name(partner.name)]


def host_queue(event_id: int, count: int) -> list[dict]:
    """The next partners to call, each with their signatories and whether they are inside."""
    from .partners import signatories

    queue = []
    for partner in unsigned_in_order(event_id)[:count]:
        people = signatories(partner)
        queue.append({"partner": partner, "people": people,
                      "present": any(person.checked_in_at is not None for person in people)})
    return queue


def signed_together(record: Signature) -> list[Signature]:
    """The records made in one go with `record` (one signatory for several organisations)."""
    return list(db.session.execute(
        select(Signature).where(Signature.signed_at == record.signed_at, Signature.signer_name == record.signer_name,
                                Signature.image_png == record.image_png).order_by(Signature.sequence)
    ).scalars())
