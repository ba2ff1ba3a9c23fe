"""QR codes for tickets: PNG for mails and PDFs, SVG for pages."""
import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

from ..security import qr_payload


def _qr(ticket_secret: str, box_size: int) -> qrcode.QRCode:
    return _code(qr_payload(ticket_secret), box_size)


def _code(text: str, box_size: int, **options) -> qrcode.QRCode:
    code = qrcode.QRCode(**{"error_correction": ERROR_CORRECT_M, "box_size": box_size, "border": 4, **options})
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_png(ticket_secret: str, box_size: int = 10) -> bytes:
    """The ticket QR as PNG bytes (about 330 px: sharp on paper and on a phone held at 30 cm)."""
    buffer = io.BytesIO()
    _qr(ticket_secret, box_size).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(ticket_secret: str) -> bytes:
    """The ticket QR as SVG, which scales to any screen without blurring."""
    buffer = io.BytesIO()
    _qr(ticket_secret, 10).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def svg_data_uri(text: str) -> str:
    """Any text (e.g. a pairing link) as an SVG QR code in a data: URI, for an <img> on a page."""
    import base64

    buffer = io.BytesIO()
    _code(text, 10).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def link_qr_png(url: str) -> bytes:
    """A small QR code holding a link, for print (e.g. from a signing-sheet line to its record in the console)."""
    # A fixed mask skips qrcode's trial of all eight (any mask scans): 60 codes in a quarter of the time.
    buffer = io.BytesIO()
    _code(url, 3, border=2, error_correction=ERROR_CORRECT_L, mask_pattern=0).make_image().save(buffer, format="PNG")
    return buffer.getvalue()
