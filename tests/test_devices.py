"""Door devices: pairing a phone by a one-time link, revoking it, bearer tokens, and `flask device create`."""
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from conftest import FROZEN_NOW, csrf_token_from
from sqlalchemy import select
from test_checkin import DATA_CSRF, PASSWORD, bearer, login, web  # noqa: F401  (web is a fixture)

from eventapp.auth.devices import create_device_with_token
from eventapp.auth.models import Device
from eventapp.auth.services import create_user
from eventapp.extensions import db

PAIRING_LINK = re.compile(r'<a href="([^"]+)" id="pairing-link">')


@pytest.fixture
def organiser(web, make_event, frozen_clock):
    make_event()
    create_user("tessa@example.org", "organiser", PASSWORD)
    client = web.test_client()
    login(client, "tessa@example.org")
    return client


def create_in_browser(organiser, name="Ingang 1", role="door") -> str:
    """Create a device on the organiser's page; return the path of its pairing link."""
    token = csrf_token_from(organiser.get("/organiser/devices").get_data(as_text=True))
    page = organiser.post("/organiser/devices", data={"csrf_token": token, "name": name, "role": role})
    assert page.status_code == 200
    link = PAIRING_LINK.search(page.get_data(as_text=True))
    assert link, "no pairing link on the page"
    assert link.group(1).startswith("http://testserver.local/pair/")
    return urlsplit(link.group(1)).path


def pair_phone(phone, path):
    page = phone.get(path)
    assert page.status_code == 200
    return phone.post(path, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})


def device_named(name) -> Device:
    db.session.expire_all()
    return db.session.execute(select(Device).filter_by(name=name)).scalar_one()


def confirm_post(organiser, url):
    token = csrf_token_from(organiser.get("/organiser/devices").get_data(as_text=True))
    return organiser.post(url, data={"csrf_token": token})


def api_checkin(phone, secret):
    token = DATA_CSRF.search(phone.get("/door/").get_data(as_text=True)).group(1)
    return phone.post("/api/v1/checkin", json={"secret": secret}, headers={"X-CSRFToken": token})


def test_a_phone_pairs_once_and_works_the_door_as_that_device(web, organiser, make_registration):
    person = make_registration()
    path = create_in_browser(organiser, "Ingang 1")
    phone = web.test_client()
    assert phone.get("/door/").status_code == 302  # not signed in yet
    looked = phone.get(path)
    assert looked.status_code == 200 and "Ingang 1" in looked.get_data(as_text=True)
    paired = pair_phone(phone, path)  # the GETs (a link preview, the first look) did not use the link up
    assert paired.status_code == 302 and urlsplit(paired.location).path == "/door/"
    assert phone.get("/door/").status_code == 200
    admitted = api_checkin(phone, person.ticket_secret)
    assert admitted.status_code == 200 and admitted.get_json()["checked_in_by"] == "Ingang 1"
    assert device_named("Ingang 1").paired_at == FROZEN_NOW
    used = phone.get(path + "?lang=en")
    assert used.status_code == 404 and "Pairing link not valid" in used.get_data(as_text=True)
    second = web.test_client()
    assert second.get(path).status_code == 404
    token = csrf_token_from(second.get("/login").get_data(as_text=True))
    assert second.post(path, data={"csrf_token": token}).status_code == 404
    assert second.get("/door/").status_code == 302  # still nobody
    assert phone.get("/organiser/devices").status_code == 403  # a door device is not an organiser


def test_revoking_signs_the_phone_out_at_once_and_kills_the_token(web, organiser, make_registration):
    person = make_registration()
    phone = web.test_client()
    pair_phone(phone, create_in_browser(organiser, "Ingang 1"))
    _handheld, token = create_device_with_token("Handheld")
    assert web.test_client().get("/api/v1/checkin/stats", headers=bearer(token)).status_code == 200
    assert phone.get("/door/").status_code == 200
    for name in ("Ingang 1", "Handheld"):
        revoked = confirm_post(organiser, f"/organiser/devices/{device_named(name).id}/revoke")
        assert revoked.status_code == 302
    signed_out = phone.get("/door/")
    assert signed_out.status_code == 302 and urlsplit(signed_out.location).path == "/login"
    assert phone.post("/api/v1/checkin", json={"secret": person.ticket_secret}).status_code == 401
    refused = web.test_client().post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=bearer(token))
    assert refused.status_code == 401
    db.session.expire_all()
    assert person.checked_in_at is None
    devices_page = organiser.get("/organiser/devices?lang=en").get_data(as_text=True)
    assert devices_page.count("revoked ") == 2  # still listed, under their names


def test_an_expired_pairing_link_is_refused(web, organiser, frozen_clock):
    path = create_in_browser(organiser, "Ingang 1")
    phone = web.test_client()
    frozen_clock.freeze(FROZEN_NOW + timedelta(hours=23))
    page = phone.get(path)
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    frozen_clock.freeze(FROZEN_NOW + timedelta(hours=25))
    assert phone.get(path).status_code == 404
    assert phone.post(path, data={"csrf_token": token}).status_code == 404
    assert phone.get("/door/").status_code == 302
    assert device_named("Ingang 1").paired_at is None


def test_a_new_pairing_link_replaces_the_old_one(web, organiser):
    old = create_in_browser(organiser, "Ingang 1")
    renewed = confirm_post(organiser, f"/organiser/devices/{device_named('Ingang 1').id}/pairing")
    new = urlsplit(PAIRING_LINK.search(renewed.get_data(as_text=True)).group(1)).path
    phone = web.test_client()
    assert new != old and phone.get(old).status_code == 404
    assert pair_phone(phone, new).status_code == 302 and phone.get("/door/").status_code == 200


def test_a_signing_device_lands_on_its_own_page_not_the_door(web, organiser):
    phone = web.test_client()
    paired = pair_phone(phone, create_in_browser(organiser, "Tekentafel", role="signing"))
    assert paired.status_code == 302 and urlsplit(paired.location).path != "/door/"
    assert phone.get("/door/").status_code == 403


def test_only_organisers_manage_devices(web, organiser):
    create_user("joost@example.org", "door", PASSWORD)
    staff = web.test_client()
    assert urlsplit(staff.get("/organiser/devices").location).path == "/login"
    login(staff, "joost@example.org")
    assert staff.get("/organiser/devices").status_code == 403
    token = csrf_token_from(staff.get("/door/walk-in").get_data(as_text=True))
    assert staff.post("/organiser/devices", data={"csrf_token": token, "name": "Stiekem", "role": "door"}).status_code == 403
    assert db.session.execute(select(Device)).first() is None


# -- the `flask device create` command -------------------------------------------------------------------------

def test_device_create_prints_a_working_bearer_token(runner, web, make_event, make_registration, frozen_clock):
    make_event()
    person = make_registration()
    result = runner.invoke(args=["device", "create", "Ingang 2"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = web.test_client().post("/api/v1/checkin", json={"secret": person.ticket_secret}, headers=bearer(token))
    assert response.status_code == 200 and response.get_json()["checked_in_by"] == "Ingang 2"
    assert device_named("Ingang 2").token_hash != token  # only the hash is stored


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_device_create_refuses_an_empty_or_too_long_name(runner, app, name):
    result = runner.invoke(args=["device", "create", name])
    assert result.exit_code == 1 and "device_name" in result.output
    assert db.session.execute(select(Device)).first() is None
