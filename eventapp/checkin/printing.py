"""The paper door list as a PDF (WeasyPrint), from the same table as the printable page."""
from flask import render_template
from weasyprint import HTML


def door_list_pdf(event, people) -> bytes:
    return HTML(string=render_template("checkin/door_list_pdf.html", event=event, people=people)).write_pdf()
