"""The dashboard: counts, partners arrived and signed, the missing signatories before the ceremony, charts, live JSON."""
import re
from datetime import timedelta

from eventapp.extensions import db
from eventapp.organiser import dashboard
from test_organiser import add_partner, login_as

SIGNATORY = dict(participation="signatory", commitments={1: "a", 2: "b", 3: "c"},
                 suggested_partners=[{"organisation": "Nieuwe partner"}], monitoring_consent=True)


def signatory(make_registration, organisation, **kw):
    return make_registration(organisation=organisation, name=f"Signer of {organisation}", **SIGNATORY, **kw)


def check_in(registration, at):
    registration.checked_in_at = at
    registration.checked_in_by = "Ingang 1"
    db.session.commit()


def test_partners_arrived_signed_and_missing(app, make_event, make_registration, frozen_clock):
    event = make_event(capacity=3)
    arrived = signatory(make_registration, "Gemeente Arnhem")
    signed = signatory(make_registration, "GGD Gelderland")
    missing = signatory(make_registration, "Stichting Leergeld")
    make_registration(name="Wachtende", organisation="Anders")  # waitlisted
    for n, person in enumerate((arrived, signed, missing), start=1):
        add_partner(event, person, signed=person is signed, sequence=n)
    check_in(arrived, event.starts_at - timedelta(minutes=50))
    numbers = dashboard.live_numbers(at=event.starts_at - timedelta(hours=1))
    assert (numbers["partners_total"], numbers["partners_arrived"], numbers["partners_signed"]) == (3, 1, 1)
    assert numbers["partners_missing"] == ["Stichting Leergeld"]
    assert (numbers["confirmed"], numbers["waitlisted"], numbers["checked_in"], numbers["commitments"]) == (3, 1, 1, 3)
    assert numbers["urgent"] is False
    board = dashboard.partner_board(event, at=event.starts_at)
    assert {row["name"]: (row["arrived"], row["signed"]) for row in board["partners"]} == {
        "Gemeente Arnhem": (True, False), "GGD Gelderland": (False, True), "Stichting Leergeld": (False, False)}
    assert dashboard.live_numbers(at=event.starts_at - timedelta(minutes=29))["urgent"] is True


def test_missing_signatories_are_highlighted_half_an_hour_before(client, make_event, make_registration, frozen_clock):
    event = make_event()
    add_partner(event, signatory(make_registration, "Stichting Leergeld"))
    login_as(client)
    frozen_clock.freeze(event.starts_at - timedelta(hours=2))
    assert 'class="card urgent"' not in client.get("/organiser/").get_data(as_text=True)
    frozen_clock.freeze(event.starts_at - timedelta(minutes=20))
    page = client.get("/organiser/?lang=en").get_data(as_text=True)
    assert 'class="card urgent"' in page and "Stichting Leergeld" in page
    assert 'data-poll="30"' in page  # on the day the numbers refresh


def test_charts_are_inline_svg_without_style_attributes(client, make_event, make_registration, frozen_clock):
    event = make_event()
    people = [make_registration(send_mail=False) for _ in range(3)]
    frozen_clock.freeze(frozen_clock.now() + timedelta(days=2))
    make_registration(send_mail=False)
    for minutes, person in zip((0, 1, 12), people):
        check_in(person, event.starts_at - timedelta(minutes=30) + timedelta(minutes=minutes))
    login_as(client)
    page = client.get("/organiser/?lang=en").get_data(as_text=True)
    assert page.count("<svg") == 2 and " style=" not in page and "<script>" not in page
    rsvp_bars = re.findall(r'<rect [^>]*class="chart-bar"', page)
    assert len(rsvp_bars) == 3 + 3  # three days of RSVPs (one empty), three five-minute windows of admissions
    assert "Registrations per day" in page and "Admissions per 5 minutes" in page


def test_breakdowns_by_type_and_participation(app, make_event, make_registration, frozen_clock):
    make_event()
    make_registration(organisation_type="municipality")
    make_registration(organisation_type="municipality", participation="press")
    stats = dashboard.summary()
    assert stats["by_type"] == [("municipality", 2)]
    assert dict(stats["by_participation"]) == {"attendee": 1, "press": 1}


def test_live_json_for_the_poll(client, make_event, make_registration, frozen_clock):
    make_event()
    make_registration()
    login_as(client)
    data = client.get("/organiser/dashboard.json").get_json()
    assert data["confirmed"] == 1 and data["partners_total"] == 0
