"""The add-to-calendar file, with the event's time in Europe/Amsterdam."""
import hashlib
from datetime import timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .. import clock


def event_ics(event, registration=None, manage_url: str = "") -> bytes:
    """An iCalendar file for the event; DTSTART carries TZID=Europe/Amsterdam and a VTIMEZONE."""
    tz = ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])
    calendar = Calendar()
    calendar.add("prodid", "-//Alliantie Kinderarmoede//eventapp//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    # A stable UID per registration: an updated file replaces the entry instead of adding a second one.
    # A hash, not part of the secret itself: calendar entries get shared and synced.
    uid_part = hashlib.sha256(registration.manage_secret.encode()).hexdigest()[:16] if registration else "event"
    entry.add("uid", f"{event.id}-{uid_part}@eventapp")
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at.replace(tzinfo=timezone.utc).astimezone(tz))
    entry.add("dtend", event.ends_at.replace(tzinfo=timezone.utc).astimezone(tz))
    entry.add("dtstamp", clock.now().replace(tzinfo=timezone.utc))
    entry.add("location", ", ".join(p for p in (event.venue_name, event.venue_address, event.city) if p)
              or f"{event.city} ({_('venue to be announced')})")
    entry.add("description", "\n".join(p for p in (event.tagline, manage_url) if p))
    if manage_url:
        entry.add("url", manage_url)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
