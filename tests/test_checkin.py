"""The door: check_in/undo with nonces, lookup, walk-ins, counters and list; the JSON API; the door pages.

HTTP tests use `web`, a second app on the same database whose requests each push their own app context, so
that two clients (an organiser and a phone, a bearer script and a logged-in user) never share Flask's `g`
(Flask-Login's cached user, Flask-WTF's token) the way requests inside the `app` fixture's context would.
"""
import io
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from conftest import FROZEN_NOW, csrf_token_from, make_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from eventapp.auth.devices import create_device_with_token, revoke
from eventapp.auth.services import create_user
from eventapp.checkin import services
from eventapp.checkin.models import CheckinScan
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registration.models import CANCELLED, CONFIRMED, WAITLISTED, Registration
from eventapp.registration.services import cancel

PASSWORD = "correct horse battery"
DATA_CSRF = re.compile(r'data-csrf="([^"]+)"')
VERDICT_KEYS = {"verdict", "attendee", "checked_in_at", "checked_in_by"}  # the DESIGN contract


# -- helpers ---------------------------------------------------------------------------------------------------

@pytest.fixture
def web(app, database_url, tmp_path):
    """The app as a server: every request has its own app context and database session."""
    server = make_app(database_url, tmp_path)
    yield server
    with server.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def door(make_event, frozen_clock):
    """An event and two door devices ("Ingang 1", "Ingang 2") with bearer tokens."""
    event = make_event()
    (one, one_token), (two, two_token) = create_device_with_token("Ingang 1"), create_device_with_token("Ingang 2")
    return dict(event=event, one=one, two=two, one_token=one_token, two_token=two_token)


def login(client, email, password=PASSWORD):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed"
    return response


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def scans() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        select(CheckinScan.action, CheckinScan.verdict, CheckinScan.actor_key, CheckinScan.entrance,
               CheckinScan.registration_id).order_by(CheckinScan.id)).all()


def fresh(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


# -- check_in and undo -----------------------------------------------------------------------------------------

def test_admitted_once_then_already_checked_in_with_when_and_where(door, make_registration, frozen_clock):
    person = make_registration(name="Anouk de Vries")
    first = services.check_in("AK1:" + person.ticket_secret, door["one"])
    assert (first.verdict, first.registration.name) == ("admitted", "Anouk de Vries")
    assert (first.checked_in_at, first.checked_in_by) == (FROZEN_NOW, "Ingang 1")
    frozen_clock.freeze(datetime(2026, 11, 23, 10, 7))
    again = services.check_in("AK1:" + person.ticket_secret, door["two"])
    assert again.verdict == "already_checked_in"
    assert (again.checked_in_at, again.checked_in_by) == (FROZEN_NOW, "Ingang 1")  # the first admission, not now
    assert (fresh(person).checked_in_at, fresh(person).checked_in_by) == (FROZEN_NOW, "Ingang 1")


@pytest.mark.parametrize("typed", ["", "   ", "hello", "https://www.example.org/", "AK1:", "AK2:{secret}",
                                   "{manage}", "AK1:{secret}X", "x" * 10_000])
def test_garbage_foreign_codes_and_other_secrets_are_unknown_and_logged(door, make_registration, typed):
    person = make_registration()
    verdict = services.check_in(typed.format(secret=person.ticket_secret, manage=person.manage_secret), door["one"])
    assert (verdict.verdict, verdict.registration, verdict.attendee()) == ("unknown", None, None)
    assert fresh(person).checked_in_at is None
    assert scans() == [("scan", "unknown", f"device:{door['one'].id}", "Ingang 1", None)]


def test_cancelled_and_waitlisted_tickets_are_refused_by_name(make_event, make_registration, frozen_clock):
    make_event(capacity=1)
    make_registration()  # takes the one seat
    seated, waiting = make_registration(name="Sanne Bakker"), make_registration(name="Wim Wachter")
    cancel(seated)  # was waitlisted too: no seat is freed
    assert (fresh(seated).status, fresh(waiting).status) == (CANCELLED, WAITLISTED)
    device, _token = create_device_with_token("Ingang 1")
    refused = [services.check_in(p.ticket_secret, device) for p in (seated, waiting)]
    assert [(v.verdict, v.registration.name) for v in refused] == [("cancelled", "Sanne Bakker"),
                                                                   ("waitlisted", "Wim Wachter")]
    assert all(fresh(p).checked_in_at is None for p in (seated, waiting))
    assert [row[1] for row in scans()] == ["cancelled", "waitlisted"]


@pytest.mark.parametrize("shape", ["AK1:{s}", "ak1:{l}", "{l}", "  AK1:{spaced}  ", "{spaced_lower}"])
def test_prefix_lower_case_and_spaces_are_forgiven(door, make_registration, shape):
    secret = make_registration().ticket_secret
    spaced = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    typed = shape.format(s=secret, l=secret.lower(), spaced=spaced, spaced_lower=spaced.lower())
    assert services.check_in(typed, door["one"]).verdict == "admitted"


def test_every_attempt_appends_one_row_with_verdict_actor_and_entrance(door, make_registration):
    person = make_registration()
    staff = create_user("door@example.org", "door", PASSWORD, name="Joost")
    services.check_in(person.ticket_secret, door["one"])
    services.check_in(person.ticket_secret, door["two"], action="lookup")
    services.check_in("nonsense", staff)
    one, two = door["one"].id, door["two"].id
    assert scans() == [("scan", "admitted", f"device:{one}", "Ingang 1", person.id),
                       ("lookup", "already_checked_in", f"device:{two}", "Ingang 2", person.id),
                       ("scan", "unknown", f"user:{staff.id}", "Joost", None)]


def test_undo_makes_the_ticket_admissible_again_and_deletes_nothing(door, make_registration, frozen_clock):
    person = make_registration()
    services.check_in(person.ticket_secret, door["one"])
    undone = services.undo("AK1:" + person.ticket_secret, door["one"])
    assert undone.verdict == "undone" and fresh(person).checked_in_at is None
    assert services.undo(person.ticket_secret, door["one"]).verdict == "not_checked_in"
    assert services.undo("garbage", door["one"]).verdict == "unknown"
    frozen_clock.freeze(datetime(2026, 11, 23, 10, 5))
    again = services.check_in(person.ticket_secret, door["two"])
    assert (again.verdict, again.checked_in_by, again.checked_in_at) == ("admitted", "Ingang 2", datetime(2026, 11, 23, 10, 5))
    assert [(row[0], row[1]) for row in scans()] == [("scan", "admitted"), ("undo", "undone"), ("undo", "not_checked_in"),
                                                     ("undo", "unknown"), ("scan", "admitted")]


def test_a_retried_nonce_returns_the_first_verdict_and_adds_nothing(door, make_registration):
    person = make_registration()
    first = services.check_in(person.ticket_secret, door["one"], nonce="scan-0001")
    retried = services.check_in(person.ticket_secret, door["one"], nonce="scan-0001")
    assert (first.verdict, first.replayed) == ("admitted", False)
    assert (retried.verdict, retried.replayed, retried.checked_in_by) == ("admitted", True, "Ingang 1")
    assert len(scans()) == 1
    other_device = services.check_in(person.ticket_secret, door["two"], nonce="scan-0001")
    assert (other_device.verdict, other_device.replayed) == ("already_checked_in", False)
    assert len(scans()) == 2
    assert services.check_in(person.ticket_secret, door["one"], nonce="n" * 64).verdict == "already_checked_in"
    for bad in ("n" * 65, "", 5):
        with pytest.raises(DomainError) as refused:
            services.check_in(person.ticket_secret, door["one"], nonce=bad)
        assert refused.value.code == "bad_nonce"
    assert len(scans()) == 3


# -- lookup ----------------------------------------------------------------------------------------------------

@pytest.fixture
def people(make_event, make_registration, frozen_clock):
    make_event()
    return dict(
        celik=make_registration(name="Emre Çelik", organisation="Stichting Leergeld", email="emre@leergeld.example"),
        ijsbrand=make_registration(name="IJsbrand de Wit", organisation="Gemeente Utrecht", email="ij.wit@utrecht.example"),
        anouk=make_registration(name="Anouk de Vries", organisation="Gemeente Den Haag", email="anouk@denhaag.example"))


@pytest.mark.parametrize("query, expected", [
    ("celik", ["Emre Çelik"]), ("ÇELIK", ["Emre Çelik"]), ("ijsbrand", ["IJsbrand de Wit"]),
    ("LEERGELD", ["Emre Çelik"]), ("gemeente", ["Anouk de Vries", "IJsbrand de Wit"]),
    ("ij.wit@utrecht", ["IJsbrand de Wit"]), ("de gemeente utrecht", ["IJsbrand de Wit"]),
    ("utrecht anouk", []), ("", []), ("   ", []),
])
def test_lookup_ignores_accents_and_case_and_needs_every_word(people, query, expected):
    assert [p.name for p in services.lookup(query)] == expected


# -- walk-ins --------------------------------------------------------------------------------------------------

def test_walk_in_is_registered_and_admitted_in_one_step_without_mail(door):
    verdict = services.walk_in("Sanne Bakker", "Buurtwerk Laak", "", door["one"])
    person = fresh(verdict.registration)
    assert verdict.verdict == "admitted"
    assert (person.status, person.source, person.checked_in_at, person.checked_in_by) == (
        CONFIRMED, "walk_in", FROZEN_NOW, "Ingang 1")
    assert scans() == [("walk_in", "admitted", f"device:{door['one'].id}", "Ingang 1", person.id)]
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert services.check_in(person.ticket_secret, door["two"]).verdict == "already_checked_in"


def test_walk_in_with_an_email_gets_the_confirmation_mail(door):
    person = services.walk_in("Sanne Bakker", "", "sanne@example.org", door["one"]).registration
    (mail,) = db.session.execute(select(OutboxMessage)).scalars().all()
    assert (mail.kind, mail.recipient, mail.registration_id) == ("confirmation", "sanne@example.org", person.id)


def test_walk_in_refuses_an_email_that_is_already_registered(door, make_registration):
    make_registration(email="anouk@example.org")
    with pytest.raises(DomainError) as refused:
        services.walk_in("Anouk", "", " ANOUK@example.org ", door["one"])
    assert (refused.value.code, refused.value.field) == ("already_registered", "email")
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1 and scans() == []


def test_someone_who_cancelled_and_comes_anyway_can_be_walked_in_with_their_email(door, make_registration):
    person = make_registration(email="anouk@example.org")
    cancelled_ticket = person.ticket_secret
    cancel(person)
    verdict = services.walk_in("Anouk de Vries", "Gemeente Den Haag", "anouk@example.org", door["one"])
    assert verdict.verdict == "admitted"
    assert verdict.registration.id == person.id  # their own registration, not a second one
    assert services.check_in(verdict.registration.ticket_secret, door["two"]).verdict == "already_checked_in"
    assert services.check_in(cancelled_ticket, door["two"]).verdict == "unknown"  # the cancelled ticket stays invalid


def test_someone_on_the_waitlist_who_comes_anyway_gets_their_seat_at_the_door(door, make_registration):
    first = make_registration()
    door["event"].capacity = 1
    db.session.commit()
    waiting = make_registration(email="wacht@example.org")
    assert waiting.status == "waitlisted"
    assert services.check_in(waiting.ticket_secret, door["one"]).verdict == "waitlisted"
    verdict = services.walk_in("Wacht Lijst", "", "WACHT@example.org", door["one"])
    assert (verdict.verdict, verdict.registration.id, verdict.registration.status) == ("admitted", waiting.id, "confirmed")
    assert services.check_in(waiting.ticket_secret, door["two"]).verdict == "already_checked_in"
    assert first.status == "confirmed"


def test_walk_ins_beyond_capacity_follow_the_event_policy(make_event, make_registration, frozen_clock):
    event = make_event(capacity=1, walk_ins_beyond_capacity=False)
    make_registration()
    device, _token = create_device_with_token("Ingang 1")
    with pytest.raises(DomainError) as refused:
        services.walk_in("Sanne Bakker", "", "", device)
    assert refused.value.code == "event_full" and scans() == []
    event.walk_ins_beyond_capacity = True
    db.session.commit()
    assert services.walk_in("Sanne Bakker", "", "", device).verdict == "admitted"
    assert services.door_counts()["expected"] == 2  # beyond the 1 seat: the room is the limit


# -- counters and the door list ----------------------------------------------------------------------------------

def test_door_counts_per_entrance_follow_admissions_and_undos(door, make_registration):
    people = [make_registration() for _ in range(4)]
    cancel(make_registration())  # not expected
    for person, device in zip(people[:3], ("one", "one", "two")):
        services.check_in(person.ticket_secret, door[device])
    services.check_in(people[0].ticket_secret, door["two"])  # refused: counts nothing
    assert services.door_counts() == {"admitted": 3, "expected": 4, "entrances": [
        {"entrance": "Ingang 1", "admitted": 2}, {"entrance": "Ingang 2", "admitted": 1}]}
    services.undo(people[2].ticket_secret, door["one"])
    assert services.door_counts() == {"admitted": 2, "expected": 4, "entrances": [{"entrance": "Ingang 1", "admitted": 2}]}


def test_door_list_is_alphabetical_ignoring_accents_and_only_confirmed(make_event, make_registration, frozen_clock):
    make_event(capacity=4)
    for name in ("Zeynep Yılmaz", "Émile Bos", "anouk de Vries", "Çağla Demir"):
        make_registration(name=name)
    cancel(make_registration(name="Bart Afgemeld"))
    make_registration(name="Aaron Wachtlijst")  # waitlisted: the 4 seats are taken
    assert [p.name for p in services.door_list()] == ["anouk de Vries", "Çağla Demir", "Émile Bos", "Zeynep Yılmaz"]


# -- the JSON API ----------------------------------------------------------------------------------------------

def test_api_verdicts_follow_the_contract_and_show_no_personal_data(web, door, make_registration):
    person = make_registration(name="Anouk de Vries", organisation="Gemeente Den Haag", email="anouk@example.org")
    client = web.test_client()
    first = client.post("/api/v1/checkin", json={"secret": "AK1:" + person.ticket_secret, "nonce": "a1"},
                        headers=bearer(door["one_token"]))
    assert first.status_code == 200 and first.mimetype == "application/json"
    body = first.get_json()
    assert VERDICT_KEYS <= set(body)
    assert (body["verdict"], body["checked_in_at"], body["checked_in_by"]) == ("admitted", "2026-11-23T10:00:00Z", "Ingang 1")
    assert body["attendee"]["name"] == "Anouk de Vries" and body["attendee"]["organisation"] == "Gemeente Den Haag"
    assert "anouk@example.org" not in first.get_data(as_text=True) and person.manage_secret not in first.get_data(as_text=True)
    again = client.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=bearer(door["two_token"])).get_json()
    assert (again["verdict"], again["checked_in_at"], again["checked_in_by"]) == ("already_checked_in", "2026-11-23T10:00:00Z", "Ingang 1")
    retried = client.post("/api/v1/checkin", json={"secret": person.ticket_secret, "nonce": "a1"},
                          headers=bearer(door["one_token"])).get_json()
    assert (retried["verdict"], retried["replayed"]) == ("admitted", True)
    unknown = client.post("/api/v1/checkin", json={"secret": "https://example.org"}, headers=bearer(door["one_token"])).get_json()
    assert {k: unknown[k] for k in VERDICT_KEYS} == {"verdict": "unknown", "attendee": None, "checked_in_at": None, "checked_in_by": None}
    undone = client.post("/api/v1/checkin/undo", json={"secret": person.ticket_secret}, headers=bearer(door["one_token"]))
    assert undone.status_code == 200 and undone.get_json()["verdict"] == "undone"
    found = client.get("/api/v1/lookup?q=anouk", headers=bearer(door["one_token"])).get_json()["results"]
    assert [r["name"] for r in found] == ["Anouk de Vries"] and "anouk@example.org" not in str(found)
    stats = client.get("/api/v1/checkin/stats", headers=bearer(door["one_token"])).get_json()
    assert (stats["admitted"], stats["expected"]) == (0, 1)


@pytest.mark.parametrize("request_kw", [
    dict(),  # no body at all
    dict(data="secret=AK1:ABC", content_type="application/x-www-form-urlencoded"),
    dict(data='{"secret": ', content_type="application/json"),  # broken JSON
    dict(data=b'{"secret": "\xff\xfe"}', content_type="application/json"),  # not UTF-8
    dict(json=["AK1:ABC"]), dict(json="AK1:ABC"), dict(json=None),
    dict(json={"secret": 123}), dict(json={"secret": None}), dict(json={"secret": ["a"]}),
    dict(json={"secret": "A" * 10_000}), dict(json={"secret": "{valid}", "nonce": 5}),
    dict(json={"secret": "{valid}", "nonce": "n" * 65}), dict(json={"secret": "{valid}", "nonce": ""}),
    dict(json={"secret": "{valid}", "admin": True}), dict(json={"nonce": "n1"}), dict(json={}),
    dict(json={"secret": "{valid}", "source": "camera"}), dict(json={"secret": "{valid}", "source": {"x": 1}}),
], ids=lambda kw: repr(kw)[:60])
def test_api_bad_input_is_a_400_json_error_and_admits_nobody(web, door, make_registration, request_kw):
    person = make_registration()
    if isinstance(request_kw.get("json"), dict):
        request_kw = dict(json={k: (v.format(valid=person.ticket_secret) if isinstance(v, str) else v)
                                for k, v in request_kw["json"].items()})
    response = web.test_client().post("/api/v1/checkin", headers=bearer(door["one_token"]), **request_kw)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert isinstance(response.get_json().get("error"), str)
    assert fresh(person).checked_in_at is None and scans() == []


def test_api_deeply_nested_json_is_a_400_not_a_500(web, door):
    response = web.test_client().post("/api/v1/checkin", data="[" * 100_000 + "]" * 100_000,
                                      content_type="application/json", headers=bearer(door["one_token"]))
    assert response.status_code == 400 and response.mimetype == "application/json"


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer wrong-token", "Basic ZG9vcjpwYXNz", "akd_x" * 100])
def test_api_without_a_valid_credential_is_401_json(web, door, make_registration, authorization):
    person = make_registration()
    headers = {"Authorization": authorization} if authorization is not None else {}
    client = web.test_client()
    for response in (client.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=headers),
                     client.get("/api/v1/lookup?q=anouk", headers=headers)):
        assert response.status_code == 401 and response.mimetype == "application/json"
        assert "error" in response.get_json()
    assert fresh(person).checked_in_at is None


def test_api_refuses_a_revoked_device_token_and_a_signing_device(web, door, make_registration):
    person = make_registration()
    client = web.test_client()
    revoke(door["one"])
    _signing, signing_token = create_device_with_token("Tekentafel", role="signing")
    revoked = client.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=bearer(door["one_token"]))
    assert revoked.status_code == 401 and "error" in revoked.get_json()
    signing = client.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=bearer(signing_token))
    assert signing.status_code == 403 and "error" in signing.get_json()
    assert fresh(person).checked_in_at is None
    assert client.post("/api/v1/checkin", json={"secret": person.ticket_secret},
                       headers=bearer(door["two_token"])).get_json()["verdict"] == "admitted"


def test_api_with_a_staff_session_needs_the_csrf_header(web, door, make_registration):
    person = make_registration()
    create_user("joost@example.org", "door", PASSWORD, name="Joost")
    create_user("tafel@example.org", "signing", PASSWORD)
    staff = web.test_client()
    login(staff, "joost@example.org")
    token = DATA_CSRF.search(staff.get("/door/").get_data(as_text=True)).group(1)
    without = staff.post("/api/v1/checkin", json={"secret": person.ticket_secret})
    assert without.status_code == 400 and "error" in without.get_json()
    wrong = staff.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers={"X-CSRFToken": "nope"})
    assert wrong.status_code == 400 and fresh(person).checked_in_at is None
    admitted = staff.post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers={"X-CSRFToken": token})
    assert admitted.status_code == 200 and admitted.get_json()["checked_in_by"] == "Joost"
    assert staff.get("/api/v1/checkin/stats").get_json()["admitted"] == 1  # a GET needs no CSRF token
    stranger = web.test_client()  # another browser cannot reuse the token without the session
    assert stranger.post("/api/v1/checkin", json={"secret": "x"}, headers={"X-CSRFToken": token}).status_code == 401
    signing = web.test_client()
    login(signing, "tafel@example.org")
    assert signing.get("/api/v1/checkin/stats").status_code == 403


def test_openapi_document_matches_the_api_routes(web, app):
    document = web.test_client().get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.mimetype == "application/json"
    spec = document.get_json()
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": "/api/v1"}]
    documented = {(path, method.upper()) for path, item in spec["paths"].items() for method in item}
    served = {(rule.rule.removeprefix("/api/v1"), method) for rule in web.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") for method in rule.methods - {"HEAD", "OPTIONS"}}
    served.discard(("/openapi.json", "GET"))  # the document does not describe itself
    assert documented == served
    assert set(spec["components"]["schemas"]["Verdict"]["required"]) == VERDICT_KEYS


def test_openapi_document_is_valid_openapi_3_1(web):
    """openapi-spec-validator is not in .venv (schemathesis 4 does not depend on it); schemathesis bundles the
    official OpenAPI 3.1 JSON schema and validates documents with it, so that is used here."""
    definitions = pytest.importorskip("schemathesis.specs.openapi.definitions",
                                      reason="neither openapi-spec-validator nor schemathesis is installed in .venv")
    spec = web.test_client().get("/api/v1/openapi.json").get_json()
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
              for e in definitions.OPENAPI_31_VALIDATOR.iter_errors(spec)]
    assert not errors, errors
    broken = {**spec, "paths": {"/checkin": {"post": {"responses": "200"}}}}
    assert not definitions.OPENAPI_31_VALIDATOR.is_valid(broken)  # the validator does look


# -- door pages ------------------------------------------------------------------------------------------------

def test_scanner_page_for_door_staff_with_counters_login_for_anonymous_403_for_signing(web, door, make_registration):
    people = [make_registration() for _ in range(3)]
    services.check_in(people[0].ticket_secret, door["one"])
    create_user("joost@example.org", "door", PASSWORD)
    create_user("tafel@example.org", "signing", PASSWORD)
    anonymous = web.test_client().get("/door/")
    assert anonymous.status_code == 302 and urlsplit(anonymous.location).path == "/login"
    staff = web.test_client()
    login(staff, "joost@example.org")
    page = staff.get("/door/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<span id="count-admitted">1</span> / <span id="count-expected">3</span>' in html
    assert "<li>Ingang 1: 1</li>" in html
    signing = web.test_client()
    login(signing, "tafel@example.org")
    assert signing.get("/door/").status_code == 403
    assert signing.get("/door/list").status_code == 403


def _walk_in_page(client, lang=None, **data):
    url = "/door/walk-in" + (f"?lang={lang}" if lang else "")
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "name": "", "organisation": "", "email": "", **data})


@pytest.fixture
def door_staff(web, door):
    create_user("joost@example.org", "door", PASSWORD, name="Joost")
    staff = web.test_client()
    login(staff, "joost@example.org")
    return staff


def test_walk_in_form_registers_and_checks_in(door_staff):
    response = _walk_in_page(door_staff, name="Sanne Bakker", organisation="Buurtwerk Laak", email="sanne@example.org")
    assert response.status_code == 302 and urlsplit(response.location).path == "/door/"
    assert "Sanne Bakker" in door_staff.get("/door/").get_data(as_text=True)  # the welcome message
    db.session.expire_all()
    person = db.session.execute(select(Registration).filter_by(email="sanne@example.org")).scalar_one()
    assert (person.source, person.checked_in_by, person.organisation_name) == ("walk_in", "Joost", "Buurtwerk Laak")


def test_walk_in_form_errors_in_english(door_staff, make_registration):
    make_registration(email="anouk@example.org")
    empty = _walk_in_page(door_staff, lang="en")
    assert empty.status_code == 422 and "Please enter the name." in empty.get_data(as_text=True)
    bad = _walk_in_page(door_staff, lang="en", name="Sanne", email="not-an-address")
    assert bad.status_code == 422 and "Please enter a valid e-mail address" in bad.get_data(as_text=True)
    taken = _walk_in_page(door_staff, lang="en", name="Anouk", email="Anouk@example.org")
    assert taken.status_code == 422 and "This e-mail address is already registered." in taken.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_walk_in_form_errors_in_dutch_by_default(door_staff, make_registration):
    make_registration(email="anouk@example.org")
    with force_locale("nl"):
        expected = [gettext("Please enter the name."), gettext("Please enter a valid e-mail address, such as name@organisation.nl.")]
        taken = gettext("This e-mail address is already registered. Search for the name and check the person in from the result.")
    empty = _walk_in_page(door_staff, email="not-an-address").get_data(as_text=True)
    assert '<html lang="nl">' in empty
    assert "Vul een geldig e-mailadres in" in empty  # translated before the door existed
    assert expected[0] != "Please enter the name." and expected[0] in empty
    assert taken in _walk_in_page(door_staff, name="Anouk", email="anouk@example.org").get_data(as_text=True)
    assert "already registered" not in _walk_in_page(door_staff, name="Anouk", email="anouk@example.org").get_data(as_text=True)


def _door_list_people(make_registration, door):
    names = ["Zeynep Yılmaz", "<script>alert(1)</script>", "Émile Bos", "anouk de Vries"]
    people = {name: make_registration(name=name) for name in names}
    cancel(make_registration(name="Bart Afgemeld"))
    services.check_in(people["Émile Bos"].ticket_secret, door["one"])
    return ["<script>alert(1)</script>", "anouk de Vries", "Émile Bos", "Zeynep Yılmaz"]


def test_door_list_page_is_alphabetical_with_ticks(door_staff, door, make_registration):
    expected = _door_list_people(make_registration, door)
    html = door_staff.get("/door/list").get_data(as_text=True)
    rows = re.findall(r'<span class="tick-box( ticked)?"[^>]*>.*?</span></td>\s*<td>(.*?)</td>', html, re.S)
    assert [name for _tick, name in rows] == ["&lt;script&gt;alert(1)&lt;/script&gt;", *expected[1:]]
    assert [bool(tick) for tick, _name in rows] == [False, False, True, False]
    assert "<script>alert(1)" not in html and "Bart Afgemeld" not in html


def test_door_list_pdf_holds_the_names_literally(door_staff, door, make_registration):
    pypdf = pytest.importorskip("pypdf")
    expected = _door_list_people(make_registration, door)
    response = door_staff.get("/door/list.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    positions = [text.find(name) for name in expected]
    assert -1 not in positions, text[:500]
    assert positions == sorted(positions) and "Bart Afgemeld" not in text and "&lt;" not in text
