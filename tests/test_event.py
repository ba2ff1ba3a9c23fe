"""The event page, its states, the demo seed and the health check."""
from datetime import date, datetime

from eventapp.event.demo import next_26_march
from eventapp.event.models import Event
from eventapp.extensions import db


def test_event_page_shows_weekday_derived_from_date_in_dutch_and_english(client, make_event, frozen_clock):
    make_event(starts_at=datetime(2027, 3, 26, 8, 30))  # a Friday
    dutch = client.get("/").get_data(as_text=True)
    assert "vrijdag 26 maart 2027" in dutch
    assert "09:30" in dutch  # shown in Amsterdam time, stored in UTC
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Friday, March 26, 2027" in english
    assert "Register now" in english


def test_event_page_full_state_offers_waitlist(client, make_event, make_registration, frozen_clock):
    make_event(capacity=1)
    make_registration()
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Join the waitlist" in page


def test_event_page_closed_state(client, make_event, frozen_clock):
    make_event(registration_closes_at=datetime(2026, 11, 1))
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Registration is closed." in page
    assert "Register now" not in page


def test_next_26_march_is_always_ahead():
    assert next_26_march(date(2026, 11, 23)) == date(2027, 3, 26)
    assert next_26_march(date(2027, 3, 25)) == date(2027, 3, 26)
    assert next_26_march(date(2027, 3, 26)) == date(2028, 3, 26)


def test_seed_demo_is_idempotent_and_prints_logins(runner, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "organiser@example.org" in first.output and "door@example.org" in first.output
    second = runner.invoke(args=["seed-demo", "--attendees", "12"])
    assert second.exit_code == 0, second.output
    assert db.session.query(Event).count() == 1
    assert "Registrations added: 12 (total 12)" in second.output


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
