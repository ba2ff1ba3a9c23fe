"""The event's settings in the browser, and announcing a change of date, time or venue to everyone registered."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..errors import DomainError
from ..extensions import db
from ..i18n import to_local
from ..mail.services import deliver_after_commit
from ..registration.notifications import notify
from ..event.services import lock_seats, require_event
from ..registration.services import fill_free_seats
from .audit import record
from .mailings import queue_mailing

PLAIN_FIELDS = ("title", "venue_name", "venue_address", "city", "capacity", "registration_mode",
                "walk_ins_beyond_capacity", "contact_name", "contact_email")
# A change to one of these is what registrants must hear about (and what their calendar holds).
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "venue_name", "venue_address", "city")
MODES = ("open", "invitation")


def _to_utc(day, at: time) -> datetime:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def form_values(event) -> dict:
    """The event as the settings form shows it (Amsterdam dates and times)."""
    values = {field: getattr(event, field) for field in PLAIN_FIELDS}
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    values.update(date=start.date(), start_time=start.time(), end_time=end.time(),
                  opens_date=to_local(event.registration_opens_at).date() if event.registration_opens_at else None,
                  closes_date=(to_local(event.registration_closes_at) - timedelta(days=1)).date()
                  if event.registration_closes_at else None)
    return values


def _new_values(data: dict) -> dict:
    """Form data to column values: times to UTC; registration closes at the end of the chosen day."""
    if data["registration_mode"] not in MODES:
        raise DomainError("unknown_mode", _("Unknown registration mode."))
    if data["end_time"] <= data["start_time"]:
        raise DomainError("ends_before_start", _("The end time must be after the start time."), "end_time")
    values = {field: "" if data.get(field) is None else data[field] for field in PLAIN_FIELDS}
    values["walk_ins_beyond_capacity"] = bool(data.get("walk_ins_beyond_capacity"))
    values["starts_at"] = _to_utc(data["date"], data["start_time"])
    values["ends_at"] = _to_utc(data["date"], data["end_time"])
    values["registration_opens_at"] = _to_utc(data["opens_date"], time(0)) if data.get("opens_date") else None
    values["registration_closes_at"] = (_to_utc(data["closes_date"] + timedelta(days=1), time(0))
                                        if data.get("closes_date") else None)
    return values


def _ics(registration) -> list[dict]:
    """The updated calendar file (the ticket_ics recipe), for those who hold a seat."""
    if registration.status != "confirmed":
        return []
    return [{"builder": "ticket_ics", "registration_id": registration.id, "filename": "event.ics"}]


def _announcement(extra_nl: str, extra_en: str, title: str) -> dict:
    subjects = {}
    for language in ("nl", "en"):
        with force_locale(language):
            subjects[language] = _("Changed: date, time or venue of %(title)s", title=title)
    return {"subject_nl": subjects["nl"], "body_nl": extra_nl or "", "subject_en": subjects["en"], "body_en": extra_en or ""}


def update_event(data: dict, actor, announce: bool = False) -> dict:
    """Save the event's settings; seats freed by a higher capacity go to the waitlist; optionally announce.

    Returns {"changed": [...], "announced": number of mails}.
    """
    event = require_event()
    values = _new_values(data)
    lock_seats(event.id)
    db.session.refresh(event)
    changes = {field: [getattr(event, field), value] for field, value in values.items() if getattr(event, field) != value}
    if not changes:
        db.session.rollback()
        return {"changed": [], "announced": 0}
    for field, (_old, new) in changes.items():
        setattr(event, field, new)
    record(actor, "event.update", "event", changes)
    db.session.flush()
    messages = [notify("promoted", person) for person in fill_free_seats(event)] if "capacity" in changes else []
    announced = 0
    if announce and any(field in changes for field in ANNOUNCED_FIELDS):
        mailing = _announcement(data.get("announcement_nl"), data.get("announcement_en"), event.title)
        sent = queue_mailing(mailing, {}, actor, kind="announcement", attach=_ics)
        messages += sent
        announced = len(sent)
    db.session.commit()
    deliver_after_commit([m.id for m in messages])
    return {"changed": sorted(changes), "announced": announced}
