"""The PDF ticket (WeasyPrint), from the same HTML template as the printed page."""
import base64

from flask import render_template
from weasyprint import HTML

from .qr import qr_png


def ticket_pdf(registration, manage_url: str) -> bytes:
    qr_data_uri = "data:image/png;base64," + base64.b64encode(qr_png(registration.ticket_secret)).decode()
    html = render_template("tickets/ticket_pdf.html", registration=registration, event=registration.event,
                           qr_data_uri=qr_data_uri, manage_url=manage_url)
    return HTML(string=html).write_pdf()
