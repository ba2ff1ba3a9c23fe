"""Staff accounts from the console: add with a one-time password, disable, enable, reset; each audited."""
import pytest
from sqlalchemy import select

from eventapp.auth.services import authenticate, find_user
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.organiser import staff
from eventapp.organiser.models import AuditEntry
from test_organiser import login_as, token_of


def test_add_disable_reset_through_the_page(client, make_event, frozen_clock):
    make_event()
    me = login_as(client)
    page = client.post("/organiser/staff?lang=en", data={"csrf_token": token_of(client, "/organiser/staff"),
                                                         "email": "Deur@Example.org", "name": "Deur", "role": "door"})
    html = page.get_data(as_text=True)
    password = html.split('<code class="password">')[1].split("</code>")[0]
    door = find_user("deur@example.org")
    assert door.role == "door" and authenticate("deur@example.org", password) == door
    token = token_of(client, "/organiser/staff")
    assert client.post(f"/organiser/staff/{door.id}/disable", data={"csrf_token": token, "confirm": "1"}).status_code == 302
    assert door.active is False
    with pytest.raises(DomainError, match="bad_login"):
        authenticate("deur@example.org", password)
    html = client.post(f"/organiser/staff/{door.id}/reset", data={"csrf_token": token, "confirm": "1"}).get_data(as_text=True)
    new_password = html.split('<code class="password">')[1].split("</code>")[0]
    assert new_password != password and door.check_password(new_password)
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["staff.add", "staff.disable", "staff.reset_password"]
    assert all(e.actor == me.email for e in db.session.scalars(select(AuditEntry)))


def test_a_disabled_user_is_logged_out_at_the_next_request(client, make_event, frozen_clock, app):
    make_event()
    other = app.test_client()
    colleague = login_as(other, email="colleague@example.org")
    staff.set_active(colleague, False, "boss@example.org")
    assert other.get("/organiser/").status_code == 302


def test_no_one_disables_themselves_and_taken_addresses_are_refused(client, make_event, frozen_clock):
    make_event()
    me = login_as(client)
    with pytest.raises(DomainError, match="cannot_disable_self"):
        staff.set_active(me, False, me)
    with pytest.raises(DomainError, match="email_taken"):
        staff.add(me.email, "", "door", me)
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 0


def test_staff_page_lists_devices(client, make_event, frozen_clock):
    from eventapp.auth.models import Device

    make_event()
    db.session.add(Device(name="Ingang 1", role="door", created_at=frozen_clock.now(), revoked_at=frozen_clock.now()))
    db.session.commit()
    login_as(client)
    page = client.get("/organiser/staff?lang=en").get_data(as_text=True)
    assert "Ingang 1" in page and "Revoked" in page
