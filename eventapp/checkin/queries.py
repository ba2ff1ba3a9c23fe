"""Read-only questions about the door: admissions over time (the console's charts)."""
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..registration.models import Registration


def admission_times(event_id: int) -> list[datetime]:
    """When each person now checked in was admitted (UTC), oldest first; an undone admission is gone."""
    return list(db.session.execute(
        select(Registration.checked_in_at)
        .where(Registration.event_id == event_id, Registration.checked_in_at.is_not(None))
        .order_by(Registration.checked_in_at)
    ).scalars())


def admissions_per_interval(event_id: int, minutes: int = 5) -> list[tuple[datetime, int]]:
    """Admissions counted per `minutes` window (UTC window starts), empty windows included."""
    times = admission_times(event_id)
    if not times:
        return []
    width = timedelta(minutes=minutes)
    start = times[0].replace(second=0, microsecond=0, minute=times[0].minute - times[0].minute % minutes)
    counts: dict[datetime, int] = {}
    for at in times:
        window = start + width * int((at - start) / width)
        counts[window] = counts.get(window, 0) + 1
    windows, current = [], start
    while current <= times[-1]:
        windows.append((current, counts.get(current, 0)))
        current += width
    return windows


def scans_for(registration_id: int) -> list:
    """Every check-in log row about one registration, oldest first (for the registration's history)."""
    from .models import CheckinScan

    return list(db.session.execute(
        select(CheckinScan).where(CheckinScan.registration_id == registration_id).order_by(CheckinScan.id)
    ).scalars())
