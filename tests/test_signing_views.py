"""Signing pages over HTTP: station, ticket scan, signing by POST, wall link, host view, organiser partner pages."""
import io
import re

from sqlalchemy import select

from conftest import csrf_token_from
from eventapp.auth.services import create_user, find_user
from eventapp.extensions import db
from eventapp.signing import services
from eventapp.signing.models import Partner, Signature
from test_signing import partner_named, png, sign_for, signatory, signing_event, strokes  # noqa: F401 - fixtures

PASSWORD = "correct horse battery"


def login(client, role):
    email = f"{role}@example.org"
    if find_user(email) is None:
        create_user(email, role, PASSWORD, name=f"{role.title()} Staff")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def post_signature(client, partner, registration=None, image=None, name="Anouk de Vries", lang="nl", **extra):
    page = client.get(f"/station/sign/{partner.id}?lang={lang}")
    token = csrf_token_from(page.get_data(as_text=True))
    data = {"csrf_token": token, "signer_name": name, "signer_function": "Wethouder",
            "registration_id": str(registration.id) if registration else "",
            "image": (io.BytesIO(png() if image is None else image), "signature.png"),
            "strokes": (io.BytesIO(strokes().encode()), "strokes.json"), **extra}
    return client.post(f"/station/sign/{partner.id}", data=data, content_type="multipart/form-data",
                       headers={"Accept": "application/json"})


def test_signing_staff_land_on_the_station(client, signing_event):
    response = login(client, "signing")
    assert response.location.endswith("/station")
    assert client.get("/station").status_code == 200


def test_station_shows_who_is_next_in_running_order(client, signatory):
    signatory("Gemeente Delft")
    signatory("Gemeente Almere")
    from eventapp.signing.partners import set_running_order
    set_running_order({partner_named("Gemeente Delft").id: 1, partner_named("Gemeente Almere").id: 2}, "T")
    login(client, "signing")
    html = client.get("/station").get_data(as_text=True)
    assert html.index("Gemeente Delft") < html.index("Gemeente Almere")


def test_scanning_a_ticket_opens_the_signatorys_partner_with_name_prefilled_and_a_warning(client, signatory):
    person = signatory("Gemeente Delft", name="Marieke Bos", function="Burgemeester")
    login(client, "signing")
    response = client.get("/station/ticket", query_string={"code": "AK1:" + person.ticket_secret, "lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Marieke Bos"' in html and 'value="Burgemeester"' in html
    assert "has not been checked in at the door" in html
    assert "Ja, Wij bovenstaande partijen" in html


def test_an_unknown_ticket_code_gets_a_message_not_an_error_page(client, signing_event):
    login(client, "signing")
    response = client.get("/station/ticket", query_string={"code": "nonsense", "lang": "en"})
    assert response.status_code == 400
    assert "This ticket code is unknown" in response.get_data(as_text=True)


def test_search_finds_partners_by_folded_name(client, signatory):
    signatory("Gemeente Den Haag")
    login(client, "signing")
    assert "Gemeente Den Haag" in client.get("/station?q=den%20HAAG").get_data(as_text=True)


def test_signing_over_http_stores_the_record_with_station_evidence(client, signatory):
    person = signatory("Gemeente Delft")
    login(client, "signing")
    response = post_signature(client, partner_named("Gemeente Delft"), person)
    assert response.status_code == 200, response.get_json()
    record = db.session.execute(select(Signature)).scalar_one()
    assert response.get_json()["done_url"] == f"/station/signed/{record.id}"
    assert (record.user_name, record.device_name, record.registration_id) == ("Signing Staff", "", person.id)
    assert record.user_agent and record.client_ip == "127.0.0.1"
    done = client.get(response.get_json()["done_url"]).get_data(as_text=True)
    assert record.verification_code in done


def test_an_empty_image_is_refused_with_a_message(client, signatory):
    person = signatory("Gemeente Delft")
    login(client, "signing")
    response = post_signature(client, partner_named("Gemeente Delft"), person, image=b"", lang="en")
    assert response.status_code == 400
    assert response.get_json() == {"error": "image_missing", "message": "Please draw a signature first.", "field": "image"}


def test_a_5_mb_upload_is_refused_before_it_is_read(client, signatory):
    signatory("Gemeente Delft")
    login(client, "signing")
    response = post_signature(client, partner_named("Gemeente Delft"), image=b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 413


def test_a_script_in_the_name_field_is_refused(client, signatory):
    signatory("Gemeente Delft")
    login(client, "signing")
    response = post_signature(client, partner_named("Gemeente Delft"), name="<script>alert(1)</script>", lang="en")
    assert response.status_code == 400 and response.get_json()["error"] == "signer_name_markup"


def test_door_staff_may_not_sign(client, signatory):
    signatory("Gemeente Delft")
    login(client, "door")
    assert client.get(f"/station/sign/{partner_named('Gemeente Delft').id}").status_code == 403


# -- the wall ----------------------------------------------------------------------------------------------------

def test_the_wall_needs_its_secret_link_or_a_staff_login(client, signatory):
    person = signatory("<script>alert('x')</script> Stichting")
    sign_for(person)
    assert client.get("/wall").status_code == 302
    assert client.get("/wall/feed.json").status_code == 302
    assert client.get("/wall/ABCDEFGHJKMNPQRSTUVWXYZ234").status_code == 404
    secret = services.wall_link(person.event_id).secret
    page = client.get(f"/wall/{secret}")
    assert page.status_code == 200
    feed = client.get(f"/wall/{secret}/feed.json").get_json()
    assert feed["signed"] == 1 and feed["expected"] == 1
    assert feed["entries"] == [{"key": "s1", "organisation": "<script>alert('x')</script> Stichting",
                                "signer": "Anouk de Vries"}]
    assert set(feed["entries"][0]) == {"key", "organisation", "signer"}  # nothing personal beyond the names


def test_organisers_see_the_wall_link_and_how_many_signed(client, signatory):
    sign_for(signatory("Gemeente Delft"))
    signatory("Gemeente Leiden")
    login(client, "organiser")
    html = client.get("/organiser/partners?lang=en").get_data(as_text=True)
    assert "1 of 2 partners have signed." in html
    link = re.search(r'href="(http://[^"]+/wall/[A-Z0-9]+)"', html).group(1)
    assert client.get(link.split("localhost", 1)[-1]).status_code == 200


def test_host_sees_next_five_with_checked_in_state(client, signatory, frozen_clock):
    people = [signatory(f"Partner {n:02d}") for n in range(7)]
    people[0].checked_in_at = frozen_clock.now()
    db.session.commit()
    from eventapp.signing.partners import set_running_order
    set_running_order({partner_named(f"Partner {n:02d}").id: n + 1 for n in range(7)}, "T")
    login(client, "signing")
    html = client.get("/host?lang=en").get_data(as_text=True)
    names = re.findall(r"Partner \d\d", html)
    assert sorted(set(names)) == [f"Partner {n:02d}" for n in range(5)]
    assert html.count("not checked in") == 4 and html.count(">present<") == 1


# -- organiser pages ---------------------------------------------------------------------------------------------

def test_organiser_adds_orders_and_marks_paper_signature_with_scan(client, signing_event):
    login(client, "organiser")
    token = csrf_token_from(client.get("/organiser/partners").get_data(as_text=True))
    assert client.post("/organiser/partners/add", data={"csrf_token": token, "name": "Stichting Leergeld"}).status_code == 302
    partner = partner_named("Stichting Leergeld")
    assert client.post("/organiser/partners/order", data={"csrf_token": token, f"order-{partner.id}": "4"}).status_code == 302
    scan = (io.BytesIO(png()), "scan.png")
    response = client.post(f"/organiser/partners/{partner.id}/paper", data={"csrf_token": token, "scan": scan},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    partner = partner_named("Stichting Leergeld")
    assert partner.running_order == 4 and partner.paper_scan_type == "image/png"
    assert client.get(f"/organiser/partners/{partner.id}/scan").data == png()


def test_organiser_refused_scan_gets_a_message(client, signing_event):
    login(client, "organiser")
    token = csrf_token_from(client.get("/organiser/partners").get_data(as_text=True))
    client.post("/organiser/partners/add", data={"csrf_token": token, "name": "Stichting Leergeld"})
    partner = partner_named("Stichting Leergeld")
    response = client.post(f"/organiser/partners/{partner.id}/paper?lang=en",
                           data={"csrf_token": token, "scan": (io.BytesIO(b"MZ\x90 an exe"), "scan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The scan must be a PDF, PNG or JPEG file." in response.get_data(as_text=True)


def test_organiser_merges_two_spellings(client, signatory):
    signatory("Gemeente Den Haag")
    signatory("Gem. Den Haag")
    login(client, "organiser")
    wrong, right = partner_named("Gem. Den Haag"), partner_named("Gemeente Den Haag")
    token = csrf_token_from(client.get(f"/organiser/partners/{wrong.id}").get_data(as_text=True))
    response = client.post(f"/organiser/partners/{wrong.id}/merge", data={"csrf_token": token, "target": right.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Partner, wrong.id).active is False


def test_organiser_edits_the_pledge_and_sees_versions(client, signatory):
    person = signatory()
    sign_for(person)
    login(client, "organiser")
    page = client.get("/organiser/pledge")
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post("/organiser/pledge", data={"csrf_token": token, "text": "Nieuwe tekst van de pledge."})
    assert response.status_code == 302
    html = client.get("/organiser/pledge?lang=en").get_data(as_text=True)
    assert "version 2" in html and "version 1" in html


def test_organiser_withdraws_a_signature_which_leaves_the_wall_and_stays_in_the_chain(client, signatory, runner):
    person = signatory("Gemeente Delft")
    [record] = sign_for(person)
    login(client, "organiser")
    partner = partner_named("Gemeente Delft")
    page = client.get(f"/organiser/partners/{partner.id}")
    assert record.verification_code in page.get_data(as_text=True)
    assert client.get(f"/organiser/signatures/{record.id}.png").data == record.image_png
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(f"/organiser/partners/{partner.id}/withdraw", data={"csrf_token": token, "reason": "Dubbel"})
    assert response.status_code == 302
    db.session.expire_all()
    kinds = db.session.execute(select(Signature.kind).order_by(Signature.sequence)).scalars().all()
    assert kinds == ["signature", "withdrawal"]
    assert services.wall_link(person.event_id) and client.get("/wall/feed.json").get_json()["signed"] == 0
    assert runner.invoke(args=["pledge", "verify"]).exit_code == 0


def test_one_signatory_signs_for_several_partners_at_the_station(client, signatory):
    person = signatory("Gemeente Den Haag")
    signatory("Gemeente Rijswijk")
    signatory("Gemeente Delft")
    login(client, "signing")
    rijswijk = partner_named("Gemeente Rijswijk")
    response = post_signature(client, partner_named("Gemeente Den Haag"), person, also_for=[str(rijswijk.id)])
    assert response.status_code == 200
    done = client.get(response.get_json()["done_url"]).get_data(as_text=True)
    assert "Gemeente Den Haag" in done and "Gemeente Rijswijk" in done and "Gemeente Delft" not in done
    assert client.get("/wall/feed.json").get_json()["signed"] == 2
