"""The demo launch event from the client's seeds, with staff logins and optional demo registrations."""
import random
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from .models import Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_LOGINS = [
    ("organiser@example.org", "organiser", "demo-organiser-2026"),
    ("door@example.org", "door", "demo-door-2026"),
    ("signing@example.org", "signing", "demo-signing-2026"),
]

DESCRIPTION_NL = (
    "Eén op de negen kinderen in Nederland leeft onder de armoedegrens. Alles is Gezondheid, Missing Chapter "
    "Foundation en het Nederlands Centrum Jeugdgezondheid hebben de handen ineen geslagen en een landelijke "
    "Alliantie Kinderarmoede opgericht. Op deze ochtend ondertekenen zo'n 60 publieke en private partijen, "
    "lokaal en landelijk, samen de pledge. Prinses Laurentien gaat in gesprek met jongeren, de Kinderombudsman "
    "komt spreken, toekomstige partners en ervaringsdeskundigen zijn ook aanwezig. U ook?"
)
DESCRIPTION_EN = (
    "One in nine children in the Netherlands grows up below the poverty line. Alles is Gezondheid, Missing "
    "Chapter Foundation and the Nederlands Centrum Jeugdgezondheid have joined forces in a national Alliance "
    "against Child Poverty. This morning some 60 public and private organisations, local and national, sign the "
    "pledge together. Princess Laurentien talks with young people, the Children's Ombudsman speaks, and future "
    "partners and people with lived experience are there too. Will you join us?"
)
PROGRAMME_NL = "09:30 Inloop en registratie\n10:00 Welkom en opening\n10:15 Prinses Laurentien in gesprek met jongeren\n10:45 De Kinderombudsman\n11:15 Ondertekening van de pledge (persmoment)\n12:00 Netwerken en lunch"
PROGRAMME_EN = "09:30 Doors open and registration\n10:00 Welcome and opening\n10:15 Princess Laurentien in conversation with young people\n10:45 The Children's Ombudsman\n11:15 Signing of the pledge (press moment)\n12:00 Networking and lunch"


def next_26_march(today: date) -> date:
    """The launch date: the next 26 March from today, so the demo is always open for registration."""
    this_year = date(today.year, 3, 26)
    return this_year if this_year > today else date(today.year + 1, 3, 26)


def _utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(timezone.utc).replace(tzinfo=None)


def demo_event(today: date) -> Event:
    day = next_26_march(today)
    return Event(
        title="Lancering Alliantie Kinderarmoede",
        tagline="Samen tegen kinderarmoede: ondertekening van de pledge",
        description=DESCRIPTION_NL, description_en=DESCRIPTION_EN,
        programme=PROGRAMME_NL, programme_en=PROGRAMME_EN,
        starts_at=_utc(day, time(9, 30)), ends_at=_utc(day, time(12, 30)),
        venue_name="", venue_address="", city="Den Haag",
        capacity=250,
        registration_opens_at=None, registration_closes_at=_utc(day - timedelta(days=2), time(23, 59)),
        contact_name="Tessa van Velzen", contact_email="tessa.van.velzen@allesisgezondheid.nl",
        organisers="Alles is Gezondheid\nMissing Chapter Foundation\nNederlands Centrum Jeugdgezondheid",
    )


def seed_demo(attendees: int = 0) -> dict:
    """Create the demo event, pledge and logins if missing, then add `attendees` demo registrations."""
    from ..auth.services import ensure_user
    from ..registration.models import Registration
    from ..signing.models import PledgeVersion, text_hash

    event = db.session.execute(select(Event).limit(1)).scalar_one_or_none()
    if event is None:
        event = demo_event(clock.now().date())
        db.session.add(event)
        db.session.flush()
        pledge = (Path(__file__).parent / "demo_data" / "pledge_nl.txt").read_text(encoding="utf-8").strip()
        db.session.add(PledgeVersion(event_id=event.id, text=pledge, sha256=text_hash(pledge), created_at=clock.now()))
        db.session.commit()
    for email, role, password in DEMO_LOGINS:
        ensure_user(email, role, password)
    added = add_demo_registrations(attendees) if attendees else 0
    total = db.session.scalar(select(func.count()).select_from(Registration))
    return {"event": event.title, "date": event.starts_at.date().isoformat(), "added": added, "total": total,
            "logins": DEMO_LOGINS}


def add_demo_registrations(count: int) -> int:
    """Register `count` plausible people through the normal service (no mails are queued)."""
    from ..registration.models import Registration
    from ..registration.services import register
    from .demo_people import demo_person

    rng = random.Random(2026)
    start = db.session.scalar(select(func.count()).select_from(Registration))
    for n in range(start, start + count):
        register(demo_person(rng, n), send_mail=False)
    return count
