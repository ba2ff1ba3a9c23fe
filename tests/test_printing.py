"""Print views: the 60-partner signing sheet as PDF, badges, the commitments booklet, and who may open them."""
import io
from urllib.parse import parse_qs, urlsplit
from datetime import datetime

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from eventapp.auth.services import create_user
from eventapp.extensions import db
from eventapp.registration.models import Organisation, normalise_name
from eventapp.signing.models import Partner, PledgeVersion, Signature, text_hash

from test_security import login

SIGNED_AT = datetime(2027, 3, 26, 9, 45)
TRICKY = "<b>Zorg & Welzijn</b>"


def signature_png(n: int) -> bytes:
    """A real small drawn signature: a scribble that differs per partner."""
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 70), (60 + n, 20), (120, 80), (200 - n, 30), (290, 60)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def add_partners(event, count: int, signed_every: int = 2) -> list[tuple[str, str]]:
    """`count` partners; every `signed_every`-th signed on the tablet, the others left for wet ink."""
    pledge = PledgeVersion(event_id=event.id, number=2, text="Ja, Wij bovenstaande partijen ...",
                           sha256=text_hash("Ja, Wij bovenstaande partijen ..."), created_at=SIGNED_AT)
    db.session.add(pledge)
    db.session.flush()
    expected = []
    for n in range(count):
        name = TRICKY if n == 7 else f"Partnerorganisatie {n:02d} Utrecht"
        signer = f"Ondertekenaar Nummer{n:02d}"
        organisation = Organisation(name=name, normalised_name=normalise_name(name), type="company", created_at=SIGNED_AT)
        db.session.add(organisation)
        db.session.flush()
        partner = Partner(event_id=event.id, organisation_id=organisation.id, name=name, running_order=n + 1,
                          created_at=SIGNED_AT)
        db.session.add(partner)
        db.session.flush()
        if n % signed_every == 0:
            db.session.add(Signature(event_id=event.id, sequence=n + 1, partner_id=partner.id, organisation_name=name,
                                     signer_name=signer, signer_function="Directeur", pledge_version_id=pledge.id,
                                     pledge_sha256=pledge.sha256, image_png=signature_png(n), signed_at=SIGNED_AT,
                                     prev_hash=f"{n:064x}", record_hash=f"{n + 1:064x}"))
        else:
            signer = ""  # no signatory known: the line shows a blank to fill in by hand
        expected.append((name, signer))
    db.session.commit()
    return expected


@pytest.fixture
def organiser(client):
    create_user("organiser@example.org", "organiser", "correct horse battery")
    assert login(client, "organiser@example.org").status_code == 302
    return client


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with line breaks (a long name wrapped in its cell) read as spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_signing_sheet_pdf_for_60_partners_holds_every_name_unsplit_with_page_numbers(app, organiser, make_event):
    event = make_event()
    expected = add_partners(event, 60)
    response = organiser.get("/organiser/print/signing_sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text
    for name, signer in expected:
        holding = [text for text in pages if name in text]
        assert len(holding) == 1, f"{name} on {len(holding)} pages"
        if signer:
            assert signer in holding[0], f"{name} split from its signatory {signer}"
    assert any(TRICKY in text for text in pages)
    assert "Ja, Wij bovenstaande partijen" in pages[0]


def test_signing_sheet_shows_drawn_signatures_codes_and_empty_boxes(app, organiser, make_event):
    event = make_event()
    add_partners(event, 4)
    html = organiser.get("/organiser/print/signing_sheet").get_data(as_text=True)
    assert html.count('class="signature"') == 2 and html.count('class="ink-box"') == 2
    assert "&lt;b&gt;Zorg &amp; Welzijn&lt;/b&gt;" not in html  # partner 7 is not among the first four
    assert Signature(record_hash=f"{1:064x}").verification_code in html
    assert html.count("data:image/png;base64,") == 2 + 4  # two drawn signatures, four record QR codes


def test_signing_sheet_names_the_registered_signatory_on_an_unsigned_line(app, organiser, make_event, make_registration):
    make_event()
    person = make_registration(name="Fatima El Amrani", organisation="Stichting Leergeld", participation="signatory",
                               function="Voorzitter", commitments={1: "a", 2: "b", 3: "c"}, monitoring_consent=True,
                               suggested_partners=[{"organisation": "Voedselbank", "contact_name": "", "email": ""}])
    assert Partner.query.filter_by(organisation_id=person.organisation_id).one().name == "Stichting Leergeld"
    text = "".join(pdf_pages(organiser.get("/organiser/print/signing_sheet.pdf").data))
    assert "Stichting Leergeld" in text and "Fatima El Amrani, Voorzitter" in text


def test_badges_and_commitments_booklet(app, organiser, make_event, make_registration):
    make_event(capacity=1)
    make_registration(name="Eerste Gast", organisation="Gemeente Delft")
    make_registration(name="Wachtende Gast", organisation="Gemeente Delft")  # waitlisted: no badge
    make_registration(name="Petra Partner", organisation="Stichting Kansrijk", participation="signatory",
                      commitments={1: "Spreekuur op school", 2: "Gratis zwemles", 3: "Samen met de GGD"},
                      monitoring_consent=True, suggested_partners=[{"organisation": "Voedselbank", "contact_name": "", "email": ""}])
    badges = "".join(pdf_pages(organiser.get("/organiser/print/badges.pdf").data))
    assert "Eerste Gast" in badges and "Wachtende Gast" not in badges
    booklet = pdf_pages(organiser.get("/organiser/print/commitments.pdf").data)
    assert len(booklet) == 1 and "Stichting Kansrijk" in booklet[0] and "Gratis zwemles" in booklet[0]
    assert "1 / 1" in booklet[0]


def test_print_views_are_for_organisers_only(app, client, make_event):
    make_event()
    create_user("door@example.org", "door", "correct horse battery")
    assert client.get("/organiser/print/signing_sheet.pdf").status_code == 302
    login(client, "door@example.org")
    for url in ("/organiser/print/", "/organiser/print/signing_sheet", "/organiser/print/badges.pdf"):
        assert client.get(url).status_code == 403


def test_print_index_and_empty_states(app, organiser, make_event):
    make_event()
    assert organiser.get("/organiser/print/").status_code == 200
    assert organiser.get("/organiser/print/unknown").status_code == 404
    assert organiser.get("/organiser/print/signing_sheet").status_code == 200
    assert organiser.get("/organiser/print/signing_sheet.pdf").status_code == 200


def test_record_qr_opens_the_partners_search_in_the_console(app, organiser, make_event):
    import base64
    import re

    import zxingcpp

    event = make_event()
    add_partners(event, 8)
    html = organiser.get("/organiser/print/signing_sheet").get_data(as_text=True)
    line = html.split("&lt;b&gt;Zorg &amp; Welzijn&lt;/b&gt;")[1]
    data = re.search(r'class="record-qr" src="data:image/png;base64,([^"]+)"', line).group(1)
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))
    link = urlsplit(code.text)
    assert (link.netloc, link.path) == ("testserver.local", "/organiser/registrations")
    assert parse_qs(link.query) == {"q": ["<b>Zorg & Welzijn</b>"]}
