"""The dashboard's numbers and charts: registrations, arrivals, partners and signatures."""
from collections import Counter
from datetime import timedelta

from flask_babel import format_date
from sqlalchemy import func, select

from .. import clock
from ..checkin.queries import admissions_per_interval
from ..event.services import require_event
from ..extensions import db
from ..i18n import to_local
from ..registration.models import CANCELLED, CONFIRMED, WAITLISTED, Commitment, Registration
from ..signing.queries import partners, signed_partner_ids

# Signatories not in the room this long before the ceremony are shown in red: time to phone them.
CEREMONY_WARNING = timedelta(minutes=30)
CHART_WIDTH, CHART_HEIGHT = 600, 200


def _status_counts(event_id: int) -> dict:
    rows = db.session.execute(select(Registration.status, func.count()).where(Registration.event_id == event_id)
                              .group_by(Registration.status))
    counts = {CONFIRMED: 0, WAITLISTED: 0, CANCELLED: 0}
    counts.update(dict(rows.all()))
    return counts


def _checked_in(event_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.checked_in_at.is_not(None)))


def _commitments_received(event_id: int) -> int:
    """Signatories (not cancelled) who have written at least one commitment."""
    return db.session.scalar(select(func.count(func.distinct(Commitment.registration_id))).join(
        Registration, Registration.id == Commitment.registration_id).where(
        Registration.event_id == event_id, Registration.status != CANCELLED))


def _arrived_organisation_ids(event_id: int) -> set[int]:
    """Organisations whose signatory (a confirmed registration taking part as "signatory") is checked in."""
    return set(db.session.scalars(select(Registration.organisation_id).where(
        Registration.event_id == event_id, Registration.status == CONFIRMED,
        Registration.participation == "signatory", Registration.checked_in_at.is_not(None))))


def partner_board(event, at=None) -> dict:
    """Partners arrived and signed, and those whose signatory is still missing."""
    at = at or clock.now()
    rows = partners(event.id)
    arrived_orgs, signed = _arrived_organisation_ids(event.id), signed_partner_ids(event.id)
    missing = [p for p in rows if p.organisation_id not in arrived_orgs and p.id not in signed]
    table = [{"name": p.name, "arrived": p.organisation_id in arrived_orgs, "signed": p.id in signed} for p in rows]
    return {"total": len(rows), "arrived": sum(row["arrived"] for row in table),
            "signed": sum(row["signed"] for row in table), "missing": missing, "partners": table,
            "urgent": event.starts_at - CEREMONY_WARNING <= at < event.ends_at}


def live_numbers(at=None) -> dict:
    """The figures that change on the day (the JSON the dashboard polls)."""
    event = require_event()
    counts = _status_counts(event.id)
    board = partner_board(event, at)
    return {"confirmed": counts[CONFIRMED], "waitlisted": counts[WAITLISTED], "cancelled": counts[CANCELLED],
            "checked_in": _checked_in(event.id), "commitments": _commitments_received(event.id),
            "partners_total": board["total"], "partners_arrived": board["arrived"],
            "partners_signed": board["signed"], "partners_missing": [p.name for p in board["missing"]],
            "urgent": board["urgent"]}


def _breakdown(event_id: int, column) -> list[tuple[str, int]]:
    rows = db.session.execute(select(column, func.count()).where(
        Registration.event_id == event_id, Registration.status != CANCELLED).group_by(column).order_by(func.count().desc()))
    return [(code, count) for code, count in rows]


def summary(at=None) -> dict:
    """Everything the dashboard shows as numbers and tables."""
    at = at or clock.now()
    event = require_event()
    return {"event": event, "numbers": live_numbers(at), "board": partner_board(event, at),
            "by_type": _breakdown(event.id, Registration.organisation_type),
            "by_participation": _breakdown(event.id, Registration.participation),
            "on_the_day": to_local(at).date() == to_local(event.starts_at).date()}


def rsvps_per_day(event_id: int) -> list[tuple[object, int]]:
    """New registrations per day (Amsterdam dates), empty days included."""
    created = db.session.scalars(select(Registration.created_at).where(Registration.event_id == event_id)).all()
    days = Counter(to_local(at).date() for at in created)
    if not days:
        return []
    first, last = min(days), max(days)
    return [(first + timedelta(days=n), days.get(first + timedelta(days=n), 0)) for n in range((last - first).days + 1)]


def bar_chart(points: list[tuple[object, int]]) -> dict:
    """Geometry of a bar chart in a CHART_WIDTH x CHART_HEIGHT box, for an inline SVG drawn by the template."""
    if not points:
        return {"bars": [], "max": 0, "width": CHART_WIDTH, "height": CHART_HEIGHT}
    top = max(value for _, value in points) or 1
    step = CHART_WIDTH / len(points)
    bars = []
    for n, (label, value) in enumerate(points):
        height = round(value / top * (CHART_HEIGHT - 20), 1)
        bars.append({"label": label, "value": value, "x": round(n * step + step * 0.1, 1), "width": round(step * 0.8, 1),
                     "y": round(CHART_HEIGHT - height, 1), "height": height})
    return {"bars": bars, "max": top, "width": CHART_WIDTH, "height": CHART_HEIGHT,
            "first": points[0][0], "last": points[-1][0]}


def charts() -> dict:
    """Both charts, their labels already in the page's language and Amsterdam time."""
    event = require_event()
    rsvps = [(format_date(day, "d MMM"), n) for day, n in rsvps_per_day(event.id)]
    admissions = [(to_local(at).strftime("%H:%M"), n) for at, n in admissions_per_interval(event.id, 5)]
    return {"rsvps": bar_chart(rsvps), "admissions": bar_chart(admissions)}
