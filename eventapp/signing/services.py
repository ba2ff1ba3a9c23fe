"""Signing rules: pledge versions, the signature itself (evidence chain, mail), the wall link, ticket lookup."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..mail.services import absolute_url, deliver_after_commit, queue_mail
from ..registration.models import CONFIRMED, Registration
from ..security import clean_secret, new_secret
from .checks import check_name, check_signature_png, check_strokes
from .evidence import GENESIS, seal, tail
from .models import PledgeVersion, Signature, WallLink, text_hash
from .partners import get_partner, log_partner, partner_of_organisation

# Two stations confirming at the same moment both aim at the same next sequence; the loser retries
# on the new tail. Each retry means another station won, so this bounds the number of stations.
MAX_CHAIN_ATTEMPTS = 50
SIGNED_SUBJECT = _l("Your signed pledge: %(title)s")


def current_pledge(event_id: int) -> PledgeVersion | None:
    return db.session.execute(
        select(PledgeVersion).where(PledgeVersion.event_id == event_id).order_by(PledgeVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def pledge_versions(event_id: int) -> list[PledgeVersion]:
    return list(db.session.execute(
        select(PledgeVersion).where(PledgeVersion.event_id == event_id).order_by(PledgeVersion.number.desc())
    ).scalars())


def _is_signed(version: PledgeVersion) -> bool:
    return db.session.scalar(select(Signature.id).where(Signature.pledge_version_id == version.id).limit(1)) is not None


def save_pledge(text: str, actor: str, at=None) -> PledgeVersion:
    """Store a new pledge text: an unsigned latest version is edited, a signed one stays frozen (new version)."""
    event = require_event()
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise DomainError("pledge_empty", _("The pledge text cannot be empty."), "text")
    digest = text_hash(text)
    latest = current_pledge(event.id)
    if latest is not None and latest.sha256 == digest:
        return latest
    if db.session.scalar(select(PledgeVersion.id).where(PledgeVersion.sha256 == digest)) is not None:
        raise DomainError("pledge_same_as_older", _("This text is the same as an earlier version."), "text")
    if latest is not None and not _is_signed(latest):
        latest.text, latest.sha256, latest.created_at, latest.created_by = text, digest, at or clock.now(), actor
        version = latest
    else:
        version = PledgeVersion(event_id=event.id, number=(latest.number + 1) if latest else 1, text=text,
                                sha256=digest, created_at=at or clock.now(), created_by=actor)
        db.session.add(version)
    db.session.commit()
    return version


@dataclass
class Station:
    """Who and where: the device or staff member, the client's address and browser."""

    device_name: str = ""
    user_name: str = ""
    client_ip: str = ""
    user_agent: str = ""


@dataclass
class SignInput:
    partner_ids: list[int]
    signer_name: str
    signer_function: str = ""
    registration_id: int | None = None
    image: bytes | None = None
    strokes: str = ""
    kind: str = "signature"
    corrects_id: int | None = None
    extra: dict = field(default_factory=dict)


def sign(data: SignInput, station: Station, at=None) -> list[Signature]:
    """Append one evidence record per partner signed for, mail the signatory their PDF; returns the records."""
    event = require_event()
    image = check_signature_png(data.image)
    strokes = check_strokes(data.strokes)
    signer_name = check_name(data.signer_name, "signer_name")
    signer_function = check_name(data.signer_function, "signer_function", required=False)
    partner_ids = list(dict.fromkeys(data.partner_ids))
    if data.kind not in ("signature", "correction"):
        raise DomainError("bad_kind", "withdrawals go through withdraw()")
    if not partner_ids:
        raise DomainError("no_partner", _("Choose the organisation that signs."))
    registration = _registration_of(data.registration_id, partner_ids)
    pledge = current_pledge(event.id)
    if pledge is None:
        raise DomainError("no_pledge", _("There is no pledge text yet."))
    fields = dict(signer_name=signer_name, signer_function=signer_function, image_png=image, strokes=strokes,
                  kind=data.kind, corrects_id=data.corrects_id, pledge_version_id=pledge.id,
                  pledge_sha256=pledge.sha256, registration_id=registration.id if registration else None,
                  **_station_fields(station))
    mail = (lambda records: _queue_signed_mail(registration, records)) if registration else None
    records, message = _extend_chain(event.id, partner_ids, fields, at, mail)
    deliver_after_commit([message.id] if message else [])
    return records


def _station_fields(station: Station) -> dict:
    return dict(device_name=station.device_name[:100], user_name=station.user_name[:200],
                client_ip=station.client_ip[:64], user_agent=station.user_agent[:500])


def _extend_chain(event_id: int, partner_ids: list[int], fields: dict, at, queue=None):
    """Append the records at the tail and commit once; on a raced sequence, retry on the new tail."""
    for _attempt in range(MAX_CHAIN_ATTEMPTS):
        try:
            records = _append(event_id, partner_ids, fields, at or clock.now())
            message = queue(records) if queue else None
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another station took this sequence: build again on the new tail
            continue
        return records, message
    raise DomainError("chain_busy", _("The signature could not be stored; please try again."))


def _registration_of(registration_id: int | None, partner_ids: list[int]) -> Registration | None:
    """The signatory's registration, which must belong to one of the organisations signing."""
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None:
        return None
    partner = partner_of_organisation(registration.organisation_id)
    if partner is None or partner.id not in partner_ids:
        raise DomainError("registration_mismatch", _("This signatory is not registered for the organisation that signs."))
    return registration


def withdraw(partner_id: int, reason: str, station: Station, at=None) -> Signature:
    """Append a withdrawal of the partner's standing signature (the signature itself stays in the chain)."""
    from .queries import effective_signatures

    event = require_event()
    standing = effective_signatures(event.id).get(get_partner(partner_id).id)
    if standing is None:
        raise DomainError("not_signed", _("This partner has no signature to withdraw."))
    reason = check_name(reason, "reason")
    fields = dict(signer_name=standing.signer_name, signer_function=standing.signer_function, image_png=None,
                  strokes="[]", kind="withdrawal", corrects_id=standing.id,
                  pledge_version_id=standing.pledge_version_id, pledge_sha256=standing.pledge_sha256,
                  registration_id=standing.registration_id, **_station_fields(station))

    def note_reason(records):
        log_partner(records[0].partner, "signature_withdrawn", station.user_name or station.device_name,
                    {"signature": standing.id, "reason": reason})

    [record], _message = _extend_chain(event.id, [partner_id], fields, at, note_reason)
    return record


def _append(event_id: int, partner_ids: list[int], fields: dict, signed_at) -> list[Signature]:
    """Add the records at the chain's tail and flush (a clash on `sequence` raises IntegrityError)."""
    last = tail()
    prev_hash, sequence = (last.record_hash, last.sequence) if last else (GENESIS, 0)
    records = []
    for partner_id in partner_ids:
        partner = get_partner(partner_id)
        sequence += 1
        record = Signature(event_id=event_id, sequence=sequence, partner_id=partner.id,
                           organisation_name=partner.name, signed_at=signed_at, **fields)
        seal(record, prev_hash)
        prev_hash = record.record_hash
        db.session.add(record)
        db.session.flush()
        records.append(record)
    return records


def _queue_signed_mail(registration: Registration, records: list[Signature]):
    from flask_babel import force_locale

    event = registration.event
    with force_locale(registration.language):
        subject = str(SIGNED_SUBJECT % {"title": event.title})
    context = {"registration": registration, "event": event, "records": records,
               "manage_url": absolute_url("tickets.manage", secret=registration.manage_secret)}
    recipe = {"builder": "signed_pledge_pdf", "signature_ids": [r.id for r in records], "filename": "pledge.pdf"}
    return queue_mail("signed_pledge", registration.email, registration.language, subject, context,
                      attachments=[recipe], registration_id=registration.id)


def registration_for_ticket(raw: str) -> tuple[Registration, object]:
    """The signatory and their partner for a scanned or typed ticket code."""
    secret = clean_secret(raw)
    registration = db.session.execute(
        select(Registration).where(Registration.ticket_secret == secret)).scalar_one_or_none() if secret else None
    if registration is None:
        raise DomainError("unknown_ticket", _("This ticket code is unknown. Search for the organisation instead."), "ticket")
    if registration.status != CONFIRMED:
        raise DomainError("ticket_not_confirmed", _("This ticket is not valid (cancelled or on the waitlist)."), "ticket")
    partner = partner_of_organisation(registration.organisation_id)
    if partner is None or not partner.active:
        raise DomainError("not_a_partner", _("%(org)s is not a signing partner. Search for the organisation instead.",
                                             org=registration.organisation_name), "ticket")
    return registration, partner


def wall_link(event_id: int) -> WallLink:
    """The wall's secret link, made the first time an organiser asks for it."""
    link = db.session.execute(select(WallLink).where(WallLink.event_id == event_id)).scalar_one_or_none()
    if link is None:
        link = WallLink(event_id=event_id, secret=new_secret(), created_at=clock.now())
        db.session.add(link)
        db.session.commit()
    return link


def wall_event_for(secret: str):
    """The event whose wall this secret opens, or None."""
    cleaned = clean_secret(secret)
    link = db.session.execute(select(WallLink).where(WallLink.secret == cleaned)).scalar_one_or_none() if cleaned else None
    return link.event_id if link else None


def signature_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))
