"""Read-only questions of the console: the registrations table and one registration's history."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import asc, desc, func, or_, select

from ..extensions import db
from ..mail.models import OutboxMessage
from ..registration.choices import ORGANISATION_TYPES, PARTICIPATIONS
from ..registration.models import CANCELLED, CONFIRMED, WAITLISTED, Registration, RegistrationLog, normalise_name

STATUSES = (CONFIRMED, WAITLISTED, CANCELLED)
STATUS_LABELS = {CONFIRMED: _l("Confirmed"), WAITLISTED: _l("Waitlisted"), CANCELLED: _l("Cancelled")}
SORTS = {
    "name": Registration.name,
    "organisation": Registration.organisation_name,
    "status": Registration.status,
    "participation": Registration.participation,
    "created": Registration.created_at,
    "checked_in": Registration.checked_in_at,
}
PAGE_SIZE = 25


@dataclass
class RegistrationFilter:
    """What the organiser asked for in the query string; unknown values are ignored, not errors."""

    q: str = ""
    status: str = ""
    participation: str = ""
    organisation_type: str = ""
    checked_in: str = ""  # "yes", "no" or ""
    sort: str = "created"
    direction: str = "desc"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "RegistrationFilter":
        def pick(name, allowed):
            value = args.get(name, "")
            return value if value in allowed else ""

        return cls(
            q=(args.get("q") or "").strip()[:200],
            status=pick("status", STATUSES),
            participation=pick("participation", dict(PARTICIPATIONS)),
            organisation_type=pick("organisation_type", dict(ORGANISATION_TYPES)),
            checked_in=pick("checked_in", ("yes", "no")),
            sort=pick("sort", SORTS) or "created",
            direction="asc" if args.get("direction") == "asc" else "desc",
            page=max(1, args.get("page", 1, type=int) or 1),
        )

    def as_args(self, **overrides) -> dict:
        """The query string for this filter (with changes), without empty values."""
        values = {"q": self.q, "status": self.status, "participation": self.participation,
                  "organisation_type": self.organisation_type, "checked_in": self.checked_in,
                  "sort": self.sort, "direction": self.direction, "page": self.page}
        values.update(overrides)
        return {key: value for key, value in values.items() if value and not (key == "page" and value == 1)}

    def as_dict(self) -> dict:
        """The filters alone (no search, sort or page): how a mailing remembers its recipients."""
        return {key: getattr(self, key) for key in ("status", "participation", "organisation_type", "checked_in")
                if getattr(self, key)}


def _matches(term: str):
    """Search by name, organisation or e-mail address, ignoring case and accents."""
    return or_(func.lower(Registration.email).contains(term.lower(), autoescape=True),
               Registration.id.in_(search_ids(normalise_name(term))))


def search_ids(folded: str) -> list[int]:
    """Ids of registrations whose name or organisation contains `folded` once case and accents are folded.

    Folding happens in Python (normalise_name), the same on SQLite and PostgreSQL; a few hundred rows.
    """
    rows = db.session.execute(select(Registration.id, Registration.name, Registration.organisation_name))
    return [rid for rid, name, organisation in rows
            if folded in normalise_name(name) or folded in normalise_name(organisation)]


def filtered(criteria: RegistrationFilter):
    """The SELECT for the registrations that match the filter, sorted."""
    query = select(Registration)
    if criteria.q:
        query = query.where(_matches(criteria.q))
    if criteria.status:
        query = query.where(Registration.status == criteria.status)
    if criteria.participation:
        query = query.where(Registration.participation == criteria.participation)
    if criteria.organisation_type:
        query = query.where(Registration.organisation_type == criteria.organisation_type)
    if criteria.checked_in == "yes":
        query = query.where(Registration.checked_in_at.is_not(None))
    elif criteria.checked_in == "no":
        query = query.where(Registration.checked_in_at.is_(None))
    order = asc if criteria.direction == "asc" else desc
    return query.order_by(order(SORTS[criteria.sort]), Registration.id)


def registrations_page(criteria: RegistrationFilter, per_page: int = PAGE_SIZE):
    return db.paginate(filtered(criteria), page=criteria.page, per_page=per_page, error_out=False)


def matching(criteria: RegistrationFilter) -> list[Registration]:
    return list(db.session.scalars(filtered(criteria)))


def history(registration: Registration) -> dict:
    """Everything that happened to one registration: its log, mails, door scans, signatures, audit rows."""
    from ..checkin.queries import scans_for
    from ..signing.queries import signatures_for
    from .audit import for_target

    log = db.session.scalars(select(RegistrationLog).where(RegistrationLog.registration_id == registration.id)
                             .order_by(RegistrationLog.id))
    mails = db.session.scalars(select(OutboxMessage).where(or_(
        OutboxMessage.registration_id == registration.id,
        func.lower(OutboxMessage.recipient) == registration.email_normalised)).order_by(OutboxMessage.id))
    return {"log": list(log), "mails": list(mails), "scans": scans_for(registration.id),
            "signatures": signatures_for(registration.id), "audit": for_target(f"registration:{registration.id}")}
