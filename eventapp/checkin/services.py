"""Every door rule, for the scanner page, the JSON API, the lookup and the CLI alike (as pretix's perform_checkin).

Exactly-once admission is one conditional UPDATE: of any number of simultaneous scans of a ticket, on any
worker, the database lets exactly one change `checked_in_at` from NULL. Every attempt is appended to the
check-in log. A client `nonce` is unique per credential in that log: a retried request cannot log a second
attempt, so it rolls back whatever it did and returns the first attempt's verdict. (No SELECT before the
UPDATE: the unique index decides, which saves a round trip on every scan.)
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..errors import DomainError
from ..event.services import confirmed_count, lock_seats, require_event
from ..extensions import db
from ..mail.services import deliver_after_commit
from ..registration.models import CONFIRMED, Registration, normalise_name
from ..registration.notifications import notify
from ..registration.services import add_walk_in, find_by_email
from ..security import clean_secret
from .models import ADMITTED, ALREADY, NOT_CHECKED_IN, UNDONE, UNKNOWN, CheckinScan

MAX_NONCE_LENGTH = 64


# The door's hot path runs Core statements built once at import: building and caching an ORM statement
# anew for every scan cost more CPU than the database work itself (bench/RESULTS.md, "Where the time goes").
_registration, _scan = Registration.__table__, CheckinScan.__table__
# The columns the door shows and decides on: loaded with RETURNING on admission, with a SELECT otherwise.
DOOR_COLUMNS = tuple(_registration.c[name] for name in (
    "id", "event_id", "name", "organisation_name", "participation", "status", "source", "checked_in_at",
    "checked_in_by"))
ADMIT = (update(_registration)
         .where(_registration.c.ticket_secret == bindparam("secret"), _registration.c.status == CONFIRMED,
                _registration.c.checked_in_at.is_(None))
         .values(checked_in_at=bindparam("admitted_at"), checked_in_by=bindparam("admitted_by"))
         .returning(*DOOR_COLUMNS))
UNDO = (update(_registration)
        .where(_registration.c.ticket_secret == bindparam("secret"), _registration.c.checked_in_at.is_not(None))
        .values(checked_in_at=None, checked_in_by=None))
BY_TICKET = select(*DOOR_COLUMNS).where(_registration.c.ticket_secret == bindparam("secret"))
BY_ID = select(*DOOR_COLUMNS).where(_registration.c.id == bindparam("id"))
EARLIER_ATTEMPT = select(_scan.c.verdict, _scan.c.registration_id).where(
    _scan.c.actor_key == bindparam("actor_key"), _scan.c.nonce == bindparam("nonce"))
APPEND_LOG = insert(_scan)


def _run(statement, **params):
    return db.session.connection().execute(statement, params)


@dataclass
class Verdict:
    """What the door shows: the verdict, who it is about, and when and where they came in."""

    verdict: str
    registration: object | None = None  # a Registration, or a row of DOOR_COLUMNS
    checked_in_at: datetime | None = None
    checked_in_by: str | None = None
    replayed: bool = False  # the answer to an earlier request with the same nonce

    def attendee(self) -> dict | None:
        """Only what the door needs: name, organisation and role (no e-mail or other personal data)."""
        person = self.registration
        if person is None:
            return None
        return {"name": person.name, "organisation": person.organisation_name,
                "participation": person.participation, "signs_pledge": person.participation == "signatory",
                "status": person.status, "walk_in": person.source == "walk_in"}

    def as_json(self) -> dict:
        at = self.checked_in_at
        return {"verdict": self.verdict, "attendee": self.attendee(),
                "checked_in_at": at.isoformat(timespec="seconds") + "Z" if at else None,
                "checked_in_by": self.checked_in_by, "replayed": self.replayed}


def _refusal(registration: Registration | None) -> str:
    """Why a ticket was not admitted: unknown, cancelled, waitlisted, or already in."""
    if registration is None:
        return UNKNOWN
    if registration.status != CONFIRMED:
        return registration.status  # "cancelled" or "waitlisted", verdicts of the same name
    return ALREADY


def _find_by_ticket(secret: str | None):
    """The ticket's registration as a row of DOOR_COLUMNS, or None."""
    return _run(BY_TICKET, secret=secret).one_or_none() if secret is not None else None


def _earlier_attempt(actor, nonce: str | None):
    """The logged attempt this credential made with this nonce (its verdict and registration id), if any."""
    return _run(EARLIER_ATTEMPT, actor_key=actor.actor_key, nonce=nonce).one_or_none() if nonce else None


def _replay(attempt) -> Verdict:
    """The first attempt's verdict again, with the ticket's current state."""
    person = _run(BY_ID, id=attempt.registration_id).one_or_none() if attempt.registration_id else None
    return Verdict(attempt.verdict, person, person.checked_in_at if person else None,
                   person.checked_in_by if person else None, replayed=True)


def _append_log(event_id: int, registration, action: str, verdict: str, actor, nonce, at) -> None:
    _run(APPEND_LOG, event_id=event_id, registration_id=registration.id if registration else None, at=at,
         action=action, verdict=verdict, entrance=actor.display_name, actor_key=actor.actor_key,
         actor_name=actor.display_name, nonce=nonce or None)


def _log_and_commit(event_id: int, registration, action: str, verdict: str, actor, nonce, at):
    """Log and commit the attempt; if this nonce was logged before (a retry), roll back and return that attempt."""
    try:
        _append_log(event_id, registration, action, verdict, actor, nonce, at)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = _earlier_attempt(actor, nonce)
        if earlier is None:
            raise
        return earlier
    return None


def _check_nonce(nonce) -> str | None:
    if nonce is not None and (not isinstance(nonce, str) or not 0 < len(nonce) <= MAX_NONCE_LENGTH):
        raise DomainError("bad_nonce", _("The nonce must be a text of 1 to 64 characters."))
    return nonce


def _admit(secret: str, actor, at):
    """The one conditional UPDATE: returns the admitted registration's row, or None if it was not admissible."""
    return _run(ADMIT, secret=secret, admitted_at=at, admitted_by=actor.display_name).one_or_none()


def check_in(raw_secret: str, actor, nonce: str | None = None, action: str = "scan", at=None) -> Verdict:
    """Admit the ticket's holder once; refuse (and log) unknown, cancelled, waitlisted and repeated tickets."""
    nonce = _check_nonce(nonce)
    at = at or clock.now()
    secret = clean_secret(raw_secret)
    admitted = _admit(secret, actor, at) if secret is not None else None
    person = admitted or _find_by_ticket(secret)
    verdict = ADMITTED if admitted else _refusal(person)
    won_by = _log_and_commit(person.event_id if person else require_event().id, person, action, verdict, actor,
                             nonce, at)
    if won_by is not None:
        return _replay(won_by)
    return Verdict(verdict, person, person.checked_in_at if person else None, person.checked_in_by if person else None)


def undo(raw_secret: str, actor, nonce: str | None = None, at=None) -> Verdict:
    """Take back a mistaken admission; the admission stays in the log and the undo is added to it."""
    nonce = _check_nonce(nonce)
    at = at or clock.now()
    secret = clean_secret(raw_secret)
    undone = secret is not None and _run(UNDO, secret=secret).rowcount == 1
    registration = _find_by_ticket(secret)
    verdict = UNDONE if undone else (NOT_CHECKED_IN if registration else UNKNOWN)
    won_by = _log_and_commit(registration.event_id if registration else require_event().id, registration, "undo",
                             verdict, actor, nonce, at)
    return _replay(won_by) if won_by is not None else Verdict(verdict, registration)


def walk_in(name: str, organisation: str, email: str, actor, at=None) -> Verdict:
    """Register someone at the door and admit them in one step, within the event's walk-in policy."""
    at = at or clock.now()
    event = require_event()
    sequence = lock_seats(event.id)  # first statement writes: serialises seat counting on SQLite and PostgreSQL
    existing = find_by_email(event.id, email) if email else None
    if existing is not None and existing.status == CONFIRMED:
        db.session.rollback()
        raise DomainError("already_registered", _("This e-mail address is already registered. Search for the name and check the person in from the result."), "email")
    if not event.walk_ins_beyond_capacity and confirmed_count(event.id) >= event.capacity:
        db.session.rollback()
        raise DomainError("event_full", _("Every seat is taken and this event admits no walk-ins beyond its capacity."))
    # Someone who cancelled or waited in vain and comes after all: their own registration gets the seat.
    registration = add_walk_in(event, name, organisation, email, sequence, at, existing)
    registration.checked_in_at, registration.checked_in_by = at, actor.display_name
    _append_log(event.id, registration, "walk_in", ADMITTED, actor, None, at)
    message = notify("confirmation", registration) if registration.email else None
    db.session.commit()
    deliver_after_commit([message.id] if message else [])
    return Verdict(ADMITTED, registration, at, actor.display_name)


def _search_text(registration: Registration) -> str:
    return normalise_name(" ".join((registration.name, registration.organisation_name, registration.email)))


def lookup(query: str, limit: int = 20) -> list[Registration]:
    """Registrations whose name, organisation or e-mail hold every word of `query`, accents and case ignored."""
    terms = normalise_name(query or "").split()
    if not terms or len(query) > 200:
        return []
    event_id = require_event().id
    people = db.session.execute(select(Registration).where(Registration.event_id == event_id)).scalars()
    found = [p for p in people if all(term in _search_text(p) for term in terms)]
    # People whose name starts with the query first, then alphabetical by name.
    found.sort(key=lambda p: (not normalise_name(p.name).startswith(terms[0]), normalise_name(p.name)))
    return found[:limit]


def door_counts() -> dict:
    """Admitted of expected, and admissions per entrance (the device or staff member that let them in)."""
    event_id = require_event().id
    rows = db.session.execute(
        select(Registration.checked_in_by, func.count())
        .where(Registration.event_id == event_id, Registration.checked_in_at.is_not(None))
        .group_by(Registration.checked_in_by).order_by(Registration.checked_in_by)
    ).all()
    admitted = sum(count for _entrance, count in rows)
    return {"admitted": admitted, "expected": confirmed_count(event_id),
            "entrances": [{"entrance": entrance or "", "admitted": count} for entrance, count in rows]}


def door_list() -> list[Registration]:
    """Everyone with a seat, alphabetical by name (accents ignored), for the paper list at the door."""
    event_id = require_event().id
    people = db.session.execute(
        select(Registration).where(Registration.event_id == event_id, Registration.status == CONFIRMED)
    ).scalars()
    return sorted(people, key=lambda p: (normalise_name(p.name), normalise_name(p.organisation_name)))
