"""The signed pledge arrives by mail at a real SMTP server, as a PDF with organisation, signatory and code."""
import io

from pypdf import PdfReader

from eventapp.mail.services import deliver
from test_mail import attachment, only, smtp, smtp_down, text_of  # noqa: F401 - fixtures
from test_signing import png, sign_for, signatory, signing_event, strokes  # noqa: F401 - fixtures


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_signed_pledge_pdf_arrives_with_organisation_signatory_and_code(app, smtp, signatory):
    person = signatory("Gemeente Delft", name="Marieke Bos")
    [record] = sign_for(person)
    deliver()
    message = only(smtp.to(person.email))
    assert "handtekening" in text_of(message) or "signature" in text_of(message)
    assert record.verification_code in text_of(message)
    text = pdf_text(attachment(message, "pledge.pdf"))
    assert "Gemeente Delft" in text and "Marieke Bos" in text and record.verification_code in text
    assert "Ja, Wij bovenstaande partijen" in text


def test_names_with_markup_are_text_in_the_pdf(app, smtp, signatory):
    person = signatory("<b>Stichting</b> <script>alert(1)</script>", name="Marieke Bos")
    sign_for(person)
    deliver()
    text = pdf_text(attachment(only(smtp.to(person.email)), "pledge.pdf"))
    assert "<b>Stichting</b> <script>alert(1)</script>" in text


def test_the_full_pledge_and_signature_fit_on_one_a4_page(app, signatory):
    from pathlib import Path

    from eventapp.signing.pdf import signed_pledge_pdf
    from eventapp.signing.services import save_pledge

    person = signatory("Gemeente Delft")
    demo_text = Path(app.root_path, "event", "demo_data", "pledge_nl.txt").read_text(encoding="utf-8")
    save_pledge(demo_text, "Tessa")
    records = sign_for(person)
    with app.test_request_context():
        pdf = PdfReader(io.BytesIO(signed_pledge_pdf(records)))
    assert len(pdf.pages) == 1
    assert "monitoring" in pdf.pages[0].extract_text() and records[0].verification_code in pdf.pages[0].extract_text()
