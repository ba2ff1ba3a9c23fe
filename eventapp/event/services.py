"""Rules about the event itself: which one, whether registration is open, how many seats are left."""
from flask_babel import gettext as _
from sqlalchemy import func, select, text, update

from .. import clock
from ..errors import DomainError
from ..extensions import db
from .models import Event


def current_event() -> Event | None:
    """The deployment's event (one per deployment); None before it is set up."""
    return db.session.execute(select(Event).order_by(Event.id).limit(1)).scalar_one_or_none()


def require_event() -> Event:
    event = current_event()
    if event is None:
        raise DomainError("no_event", _("No event has been set up yet."))
    return event


def registration_state(event: Event, at=None) -> str:
    """'not_open', 'closed' or 'open' for the registration window at `at`."""
    at = at or clock.now()
    if event.registration_opens_at and at < event.registration_opens_at:
        return "not_open"
    if (event.registration_closes_at and at >= event.registration_closes_at) or at >= event.starts_at:
        return "closed"
    return "open"


def confirmed_count(event_id: int) -> int:
    from ..registration.models import CONFIRMED, Registration

    return db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == event_id, Registration.status == CONFIRMED)
    )


def seats_left(event: Event) -> int:
    return max(0, event.capacity - confirmed_count(event.id))


def lock_seats(event_id: int) -> int:
    """Serialise every seat-changing transaction on the event row and return the next arrival number.

    On PostgreSQL the UPDATE takes the row lock until commit; on SQLite it takes the database's write
    lock (waiting out the busy timeout). Run it first in the transaction, so that the counting that
    follows sees every earlier commit and no two transactions hand out the same last seat.
    """
    db.session.execute(update(Event).where(Event.id == event_id).values(seat_sequence=Event.seat_sequence + 1))
    return db.session.scalar(select(Event.seat_sequence).where(Event.id == event_id))


def database_answers() -> bool:
    """True when the database runs a trivial query (for /healthz)."""
    db.session.execute(text("SELECT 1"))
    return True
