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
