"""Partner rules: kept in step with signatory registrations; organisers add, edit, merge, order, paper-sign."""
import json

from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..registration.models import CANCELLED, Registration
from .checks import check_name, scan_type
from .models import Partner, PartnerLog, Signature


def log_partner(partner: Partner, action: str, actor: str, detail: dict | None = None) -> None:
    db.session.add(PartnerLog(partner_id=partner.id, at=clock.now(), action=action, actor=actor,
                              detail=json.dumps(detail or {}, ensure_ascii=False, default=str)))


def standing(partner: Partner | None) -> Partner | None:
    """The partner that counts: follows merges to the partner that absorbed this one."""
    seen = set()
    while partner is not None and partner.merged_into_id is not None and partner.id not in seen:
        seen.add(partner.id)
        partner = db.session.get(Partner, partner.merged_into_id)
    return partner


def partner_of_organisation(organisation_id: int) -> Partner | None:
    found = db.session.execute(select(Partner).where(Partner.organisation_id == organisation_id)).scalar_one_or_none()
    return standing(found)


def ensure_partner(registration: Registration) -> Partner | None:
    """Make sure a signatory's organisation is a partner (adds and flushes; the caller commits)."""
    if not registration.is_signatory or registration.status == CANCELLED:
        return None
    partner = partner_of_organisation(registration.organisation_id)
    if partner is None:
        partner = Partner(event_id=registration.event_id, organisation_id=registration.organisation_id,
                          name=registration.organisation_name or registration.organisation.name,
                          created_at=clock.now(), active=True)
        db.session.add(partner)
        db.session.flush()
        log_partner(partner, "added", "registration", {"registration_id": registration.id})
    return partner


def get_partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None or not partner.active:
        raise DomainError("unknown_partner", _("This partner does not exist (or was merged into another)."))
    return partner


def add_partner(name: str, actor: str) -> Partner:
    """Add an organisation as a partner by hand (no registration needed)."""
    from ..registration.services import organisation_for  # late: registration.services imports this module

    event = require_event()
    name = check_name(name, "name")
    organisation = organisation_for(name, "other")
    if partner_of_organisation(organisation.id) is not None:
        db.session.rollback()
        raise DomainError("partner_exists", _("This organisation is already a partner."), "name")
    partner = Partner(event_id=event.id, organisation_id=organisation.id, name=name, created_at=clock.now())
    db.session.add(partner)
    db.session.flush()
    log_partner(partner, "added", actor)
    db.session.commit()
    return partner


def rename_partner(partner_id: int, name: str, actor: str) -> Partner:
    """Change how the partner is printed on the sheet and the wall."""
    partner = get_partner(partner_id)
    name = check_name(name, "name")
    if name != partner.name:
        log_partner(partner, "renamed", actor, {"name": [partner.name, name]})
        partner.name = name
        db.session.commit()
    return partner


def merge_partners(source_id: int, target_id: int, actor: str) -> Partner:
    """Fold `source` (another spelling) into `target`: its registrants, order and paper signature follow."""
    source, target = get_partner(source_id), get_partner(target_id)
    if source.id == target.id:
        raise DomainError("merge_self", _("Choose another partner to merge with."), "target")
    if db.session.scalar(select(Signature.id).where(Signature.partner_id == source.id).limit(1)) is not None:
        raise DomainError("merge_signed", _("This partner has already signed on the tablet and cannot be merged away."))
    if target.running_order is None:
        target.running_order = source.running_order
    if target.paper_signed_at is None and source.paper_signed_at is not None:
        target.paper_signed_at, target.paper_scan, target.paper_scan_type = (
            source.paper_signed_at, source.paper_scan, source.paper_scan_type)
    source.active, source.merged_into_id, source.running_order = False, target.id, None
    log_partner(source, "merged_into", actor, {"target": target.id, "name": target.name})
    log_partner(target, "merged_from", actor, {"source": source.id, "name": source.name})
    db.session.commit()
    return target


def set_running_order(order: dict[int, int | None], actor: str) -> None:
    """Give partners their place in the ceremony ({partner_id: place or None})."""
    require_event()
    for partner_id, place in order.items():
        partner = get_partner(partner_id)
        if partner.running_order != place:
            log_partner(partner, "running_order", actor, {"running_order": [partner.running_order, place]})
            partner.running_order = place
    db.session.commit()


def mark_paper_signed(partner_id: int, scan: bytes | None, actor: str, at=None) -> Partner:
    """Record that the partner signed on paper, with an optional scan (PDF, PNG or JPEG)."""
    partner = get_partner(partner_id)
    content_type = scan_type(scan) if scan else None
    partner.paper_signed_at = at or clock.now()
    if scan:
        partner.paper_scan, partner.paper_scan_type = scan, content_type
    log_partner(partner, "paper_signed", actor, {"scan": content_type, "bytes": len(scan or b"")})
    db.session.commit()
    return partner


def signatories(partner: Partner) -> list[Registration]:
    """The registrations that sign for this partner (its own organisation and any merged into it)."""
    organisation_ids = [partner.organisation_id] + list(db.session.execute(
        select(Partner.organisation_id).where(Partner.merged_into_id == partner.id)).scalars())
    return list(db.session.execute(
        select(Registration).where(Registration.organisation_id.in_(organisation_ids),
                                   Registration.participation == "signatory", Registration.status != CANCELLED)
        .order_by(Registration.created_at)
    ).scalars())
