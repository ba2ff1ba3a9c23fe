"""Signing: pledge versions, partners, the evidence chain and `pledge verify`, and refused signature input.

Helpers here (signing_event, signatory, png, strokes, sign_for) are shared by the other test_signing* modules.
"""
import io
import json
import struct
import zlib

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select, text

from conftest import registration_data
from eventapp.errors import DomainError
from eventapp.extensions import db
from eventapp.registration.services import change, register
from eventapp.signing import partners as partner_services
from eventapp.signing import queries
from eventapp.signing.evidence import first_break
from eventapp.signing.models import Partner, PartnerLog, PledgeVersion, Signature
from eventapp.signing.services import SignInput, Station, current_pledge, save_pledge, sign, withdraw

PLEDGE = "Ja, Wij bovenstaande partijen zetten ons in tegen kinderarmoede."
STATION = Station(device_name="Tafel 1", user_name="", client_ip="10.0.0.7", user_agent="pytest")


def png(width=600, height=200) -> bytes:
    """A real signature-like PNG: a stroke drawn on white."""
    image = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(image).line([(20, 150), (200, 40), (380, 160), (560, 50)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def strokes(points=3) -> str:
    return json.dumps([{"penColor": "#1d1d1b", "points": [{"x": 10 + i, "y": 20 + i, "time": 1000 + i, "pressure": 0.5}
                                                           for i in range(points)]}])


def signatory_data(**kw) -> dict:
    values = dict(participation="signatory", commitments={1: "Signaleren", 2: "Oplossen", 3: "Samenwerken"},
                  suggested_partners=[{"organisation": "Stichting Leergeld"}], monitoring_consent=True)
    values.update(kw)
    return registration_data(**values)


@pytest.fixture
def signing_event(make_event, frozen_clock):
    """The event with its first pledge version."""
    event = make_event()
    save_pledge(PLEDGE, "Tessa")
    return event


@pytest.fixture
def signatory(signing_event):
    """Register a signatory for `organisation` (through the real service); returns the Registration."""

    def factory(organisation="Gemeente Den Haag", **kw):
        return register(signatory_data(organisation=organisation, **kw), send_mail=kw.pop("send_mail", False)).registration

    return factory


def partner_named(name) -> Partner:
    return db.session.execute(select(Partner).where(Partner.name == name)).scalar_one()


def sign_for(registration=None, partner=None, station=STATION, **kw) -> list[Signature]:
    partner = partner or partner_services.partner_of_organisation(registration.organisation_id)
    values = dict(partner_ids=[partner.id], signer_name=registration.name if registration else "Piet Jansen",
                  signer_function="Wethouder", registration_id=registration.id if registration else None,
                  image=png(), strokes=strokes())
    values.update(kw)
    return sign(SignInput(**values), station)


# -- partners ---------------------------------------------------------------------------------------------------

def test_a_signatory_registration_makes_its_organisation_a_partner_once(signatory, make_registration):
    signatory("Gemeente Den Haag")
    signatory("gemeente den haag")  # same organisation, other spelling of case
    make_registration(organisation="Stichting Alleen Aanwezig", send_mail=False)  # attendee: no partner
    assert [p.name for p in queries.partners(db.session.get(Partner, 1).event_id)] == ["Gemeente Den Haag"]


def test_a_registrant_who_becomes_signatory_by_a_change_adds_the_partner(signing_event, make_registration):
    person = make_registration(organisation="GGD Haaglanden", send_mail=False)
    assert db.session.scalar(select(Partner.id)) is None
    change(person, signatory_data(organisation="GGD Haaglanden", email=person.email))
    assert partner_named("GGD Haaglanden").active


def test_merge_moves_signatories_order_and_paper_signature_and_is_logged(signatory):
    den_haag = signatory("Gemeente Den Haag")
    typo = signatory("Gemeente Den Haaag")
    right, wrong = partner_named("Gemeente Den Haag"), partner_named("Gemeente Den Haaag")
    partner_services.set_running_order({wrong.id: 3}, "Tessa")
    partner_services.mark_paper_signed(wrong.id, b"%PDF-1.4 scan", "Tessa")
    partner_services.merge_partners(wrong.id, right.id, "Tessa")
    assert [p.name for p in queries.partners(right.event_id)] == ["Gemeente Den Haag"]
    assert {r.id for r in partner_services.signatories(right)} == {den_haag.id, typo.id}
    assert right.running_order == 3 and right.paper_scan_type == "application/pdf"
    # The merged spelling still leads to the standing partner (e.g. at the station after a ticket scan).
    assert partner_services.partner_of_organisation(typo.organisation_id).id == right.id
    actions = db.session.execute(select(PartnerLog.action).order_by(PartnerLog.id)).scalars().all()
    assert "merged_into" in actions and "merged_from" in actions


def test_a_partner_that_signed_on_the_tablet_cannot_be_merged_away(signatory):
    signed = signatory("Gemeente Delft")
    signatory("Gemeente Leiden")
    sign_for(signed)
    with pytest.raises(DomainError) as refused:
        partner_services.merge_partners(partner_named("Gemeente Delft").id, partner_named("Gemeente Leiden").id, "T")
    assert refused.value.code == "merge_signed"


@pytest.mark.parametrize("scan, code", [(b"GIF89a....", "scan_type"), (b"<html><script>", "scan_type"),
                                         (b"%PDF-" + b"0" * (5 * 1024 * 1024), "scan_too_large")])
def test_paper_scan_is_checked_by_its_first_bytes_and_size(signatory, scan, code):
    signatory("Gemeente Delft")
    with pytest.raises(DomainError) as refused:
        partner_services.mark_paper_signed(partner_named("Gemeente Delft").id, scan, "Tessa")
    assert refused.value.code == code
    assert partner_named("Gemeente Delft").paper_signed_at is None


def test_paper_signature_counts_as_signed_without_scan(signatory):
    signatory("Gemeente Delft")
    partner = partner_services.mark_paper_signed(partner_named("Gemeente Delft").id, None, "Tessa")
    assert partner.id in queries.signed_partner_ids(partner.event_id)
    assert queries.wall_feed(partner.event_id)["signed"] == 1


# -- pledge versions --------------------------------------------------------------------------------------------

def test_the_pledge_is_edited_in_place_until_signed_then_frozen_as_a_new_version(signatory):
    person = signatory()
    first = current_pledge(person.event_id)
    edited = save_pledge(PLEDGE + " Samen.", "Tessa")
    assert edited.id == first.id and edited.number == 1
    [record] = sign_for(person)
    assert record.pledge_sha256 == edited.sha256
    newer = save_pledge(PLEDGE + " Samen, vanaf vandaag.", "Tessa")
    assert newer.number == 2 and newer.id != edited.id
    frozen = db.session.get(PledgeVersion, edited.id)
    assert frozen.text == PLEDGE + " Samen." and record.pledge_version.text == frozen.text


# -- the chain ---------------------------------------------------------------------------------------------------

def test_records_chain_and_verify_ok(signatory, runner):
    records = [sign_for(signatory(f"Organisatie {n}"))[0] for n in range(3)]
    assert [r.sequence for r in records] == [1, 2, 3]
    assert records[1].prev_hash == records[0].record_hash and records[2].prev_hash == records[1].record_hash
    result = runner.invoke(args=["pledge", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 3 signature records")


def test_an_empty_chain_verifies(app, runner):
    assert runner.invoke(args=["pledge", "verify"]).exit_code == 0


@pytest.mark.parametrize("column, value", [
    ("signer_name", "Iemand Anders"),
    ("image_png", png(600, 201)),
    ("signed_at", "2026-11-23 11:00:00.000000"),
    ("organisation_name", "Gemeente Elders"),
])
def test_altering_one_stored_record_breaks_the_chain_at_that_record(signatory, runner, column, value):
    records = [sign_for(signatory(f"Organisatie {n}"))[0] for n in range(3)]
    target = records[1]
    db.session.execute(text(f"UPDATE signature SET {column} = :value WHERE id = :id"), {"value": value, "id": target.id})
    db.session.commit()
    db.session.expire_all()
    result = runner.invoke(args=["pledge", "verify"])
    assert result.exit_code == 1
    assert f"record id {target.id}, sequence 2, organisation" in result.output
    assert "record_hash does not match" in result.output


def test_an_altered_pledge_text_is_named_by_verify(signatory, runner):
    [record] = sign_for(signatory())
    db.session.execute(text("UPDATE pledge_version SET text = 'Iets anders' WHERE id = :id"), {"id": record.pledge_version_id})
    db.session.commit()
    result = runner.invoke(args=["pledge", "verify"])
    assert result.exit_code == 1
    assert f"record id {record.id}, sequence 1" in result.output and "pledge text" in result.output


def test_a_deleted_record_breaks_the_chain_at_the_next_one(signatory):
    records = [sign_for(signatory(f"Organisatie {n}"))[0] for n in range(3)]
    db.session.execute(text("DELETE FROM signature WHERE id = :id"), {"id": records[1].id})
    db.session.commit()
    db.session.expire_all()
    assert first_break().record.id == records[2].id


def test_one_signatory_for_several_partners_makes_one_record_each_and_one_mail(signatory):
    person = signatory("Gemeente Den Haag")
    signatory("Gemeente Rijswijk")
    records = sign_for(person, partner_ids=[partner_named("Gemeente Den Haag").id, partner_named("Gemeente Rijswijk").id])
    assert [r.organisation_name for r in records] == ["Gemeente Den Haag", "Gemeente Rijswijk"]
    assert first_break() is None
    assert queries.wall_feed(person.event_id)["signed"] == 2
    from eventapp.mail.models import OutboxMessage
    [mail] = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "signed_pledge")).scalars().all()
    assert mail.attachments[0]["signature_ids"] == [r.id for r in records]


def test_one_partner_may_have_two_signatories(signatory):
    first = signatory("Gemeente Den Haag")
    second = signatory("Gemeente Den Haag", name="Karel Smit")
    sign_for(first)
    sign_for(second)
    assert db.session.scalar(select(db.func.count()).select_from(Signature)) == 2
    assert queries.wall_feed(first.event_id)["signed"] == 1


def test_a_withdrawal_is_a_new_record_and_leaves_the_wall(signatory):
    person = signatory()
    [record] = sign_for(person)
    withdrawal = withdraw(record.partner_id, "Verkeerde organisatie gekozen", Station(user_name="Tessa"))
    assert (withdrawal.kind, withdrawal.corrects_id, withdrawal.sequence) == ("withdrawal", record.id, 2)
    assert db.session.get(Signature, record.id).record_hash == record.record_hash  # the original stays
    assert queries.wall_feed(person.event_id)["signed"] == 0
    assert first_break() is None
    with pytest.raises(DomainError) as refused:
        withdraw(record.partner_id, "nogmaals", Station(user_name="Tessa"))
    assert refused.value.code == "not_signed"


def test_a_correction_is_a_new_record_that_becomes_the_standing_one(signatory):
    person = signatory()
    [record] = sign_for(person)
    [correction] = sign_for(person, kind="correction", corrects_id=record.id, signer_name="Anouk de Vries-Smit")
    assert queries.effective_signatures(person.event_id)[record.partner_id].id == correction.id
    assert first_break() is None


def test_the_registration_must_belong_to_an_organisation_that_signs(signatory):
    delft = signatory("Gemeente Delft")
    signatory("Gemeente Leiden")
    with pytest.raises(DomainError) as refused:
        sign_for(delft, partner=partner_named("Gemeente Leiden"))
    assert refused.value.code == "registration_mismatch"


def test_the_station_records_its_device_ip_and_user_agent(signatory):
    [record] = sign_for(signatory())
    assert (record.device_name, record.user_name, record.client_ip, record.user_agent) == \
        ("Tafel 1", "", "10.0.0.7", "pytest")
    assert len(record.verification_code) == 14 and record.verification_code.count("-") == 2


# -- refused input -----------------------------------------------------------------------------------------------

def png_header(width, height) -> bytes:
    """Just a PNG signature and IHDR claiming width x height (what a decompression bomb starts with)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 64


@pytest.mark.parametrize("kw, code", [
    ({"image": b"GIF89a not a png"}, "image_not_png"),
    ({"image": b""}, "image_missing"),
    ({"image": b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024)}, "image_too_large"),
    ({"image": png_header(20000, 20000)}, "image_dimensions"),
    ({"image": png_header(600, 200)}, "image_not_png"),  # a header alone does not decode
    ({"strokes": "[]"}, "strokes_empty"),
    ({"strokes": '[{"points": []}]'}, "strokes_empty"),
    ({"strokes": "not json"}, "strokes_empty"),
    ({"signer_name": "<script>alert(1)</script>"}, "signer_name_markup"),
    ({"signer_name": "   "}, "signer_name_missing"),
    ({"signer_name": "Anouk\x00"}, "signer_name_characters"),
    ({"signer_name": "A" * 201}, "signer_name_too_long"),
])
def test_bad_signature_input_is_refused_with_a_clear_message_and_nothing_stored(signatory, kw, code):
    person = signatory()
    with pytest.raises(DomainError) as refused:
        sign_for(person, **kw)
    assert refused.value.code == code and refused.value.message != code
    assert db.session.scalar(select(Signature.id)) is None


def test_a_paired_device_is_recorded_as_the_device_and_a_staff_member_as_the_user(app):
    from flask import Flask

    from eventapp.auth.models import Device, StaffUser
    from eventapp.signing.station import station

    with Flask(__name__).test_request_context(headers={"User-Agent": "Tablet"}, environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        from flask import request
        tablet = station(Device(name="Tafel 1", role="signing"), request)
        person = station(StaffUser(email="t@example.org", name="Tessa", role="signing"), request)
    assert (tablet.device_name, tablet.user_name, tablet.client_ip, tablet.user_agent) == ("Tafel 1", "", "10.1.2.3", "Tablet")
    assert (person.device_name, person.user_name) == ("", "Tessa")
