"""Exports: every dataset as CSV and XLSX, read back; cells that would run as formulas are neutralised."""
import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from eventapp.auth.services import create_user
from eventapp.checkin.models import CheckinScan
from eventapp.extensions import db
from eventapp.organiser.exports import neutralise
from eventapp.signing.partners import ensure_partner
from eventapp.signing.models import PledgeVersion, Signature, text_hash

from test_security import login

NASTY = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\tcmd", "\r=1+1"]
AT = datetime(2027, 3, 26, 9, 0)


@pytest.fixture
def organiser(client):
    create_user("organiser@example.org", "organiser", "correct horse battery")
    assert login(client, "organiser@example.org").status_code == 302
    return client


@pytest.fixture
def nasty_event(make_event, make_registration):
    """Every dataset holds values that a spreadsheet would run as formulas."""
    event = make_event()
    person = make_registration(name=NASTY[0], organisation=NASTY[1], function=NASTY[2], participation="signatory",
                               dietary_wishes=NASTY[4], commitments={1: NASTY[3], 2: NASTY[0], 3: "gewoon"},
                               monitoring_consent=True,
                               suggested_partners=[{"organisation": NASTY[3], "contact_name": NASTY[2], "email": ""}])
    db.session.add(CheckinScan(event_id=event.id, registration_id=person.id, at=AT, action="scan", verdict="admitted",
                               entrance=NASTY[5], actor_key="user:1", actor_name=NASTY[0]))
    pledge = PledgeVersion(event_id=event.id, number=1, text="Ja", sha256=text_hash("Ja"), created_at=AT)
    partner = ensure_partner(person)  # the signatory's RSVP made the organisation a partner
    partner.name = NASTY[1]
    db.session.add_all([pledge, partner])
    db.session.flush()
    db.session.add(Signature(event_id=event.id, sequence=1, partner_id=partner.id, organisation_name=NASTY[1],
                             signer_name=NASTY[0], signer_function=NASTY[2], pledge_version_id=pledge.id,
                             pledge_sha256=pledge.sha256, image_png=b"\x89PNG secret bytes", signed_at=AT,
                             prev_hash="0" * 64, record_hash="a" * 64))
    db.session.commit()
    return event


def assert_harmless(cells):
    texts = [cell for cell in cells if isinstance(cell, str)]
    assert texts
    for cell in texts:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)


DATASETS = ["registrations", "checkins", "signatures", "commitments", "suggested_partners"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_csv_export_reads_back_with_no_formula_cells(app, organiser, nasty_event, dataset):
    response = organiser.get(f"/organiser/exports/{dataset}.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) >= 2
    cells = [cell for row in rows[1:] for cell in row]
    assert_harmless(cells)
    assert any(cell.lstrip("'") in NASTY for cell in cells)  # the value is kept, only defused


@pytest.mark.parametrize("dataset", DATASETS)
def test_xlsx_export_reads_back_with_no_formula_cells(app, organiser, nasty_event, dataset):
    response = organiser.get(f"/organiser/exports/{dataset}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    cells = [cell for row in rows[1:] for cell in row]
    assert_harmless(cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows(min_row=2) for cell in row)  # no formula cell at all


def test_signature_export_leaves_out_the_image(app, organiser, nasty_event):
    text = organiser.get("/organiser/exports/signatures.csv").data.decode("utf-8-sig")
    assert "secret bytes" not in text and "AAAA-AAAA-AAAA" in text


def test_neutralise_keeps_ordinary_values():
    assert neutralise("Gemeente Delft") == "Gemeente Delft"
    assert neutralise("=1+1") == "'=1+1" and neutralise("-") == "'-"
    assert neutralise(3) == 3 and neutralise(None) == ""


def test_exports_are_for_organisers_only(app, client, make_event):
    make_event()
    create_user("signing@example.org", "signing", "correct horse battery")
    login(client, "signing@example.org")
    assert client.get("/organiser/exports/").status_code == 403
    assert client.get("/organiser/exports/registrations.csv").status_code == 403


def test_export_index_and_unknown_dataset(app, organiser, make_event):
    make_event()
    assert organiser.get("/organiser/exports/").status_code == 200
    assert organiser.get("/organiser/exports/passwords.csv").status_code == 404
    assert organiser.get("/organiser/exports/registrations.pdf").status_code == 404
