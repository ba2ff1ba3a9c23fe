"""CSV and XLSX exports for organisers, safe against spreadsheet formula injection."""
import csv
import io
from datetime import datetime

from sqlalchemy import select

from ..event.services import require_event
from ..extensions import db

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets
# (tab and carriage return too, which some of them strip before looking).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that cannot run as a formula: text starting with = + - @ (or tab/CR) gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")  # UTC, as stored
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _registrations(event_id):
    from ..registration.models import Registration

    header = ["name", "email", "organisation", "organisation_type", "function", "participation", "status", "language",
              "accessibility_needs", "dietary_wishes", "photo_consent", "newsletter_opt_in", "source",
              "created_at_utc", "cancelled_at_utc", "checked_in_at_utc", "checked_in_by"]
    rows = db.session.execute(select(Registration).where(Registration.event_id == event_id)
                              .order_by(Registration.sequence)).scalars()
    return header, ([r.name, r.email, r.organisation_name, r.organisation_type, r.function, r.participation, r.status,
                     r.language, r.accessibility_needs, r.dietary_wishes, r.photo_consent, r.newsletter_opt_in,
                     r.source, r.created_at, r.cancelled_at, r.checked_in_at, r.checked_in_by] for r in rows)


def _checkins(event_id):
    from ..checkin.models import CheckinScan

    header = ["at_utc", "action", "verdict", "name", "organisation", "entrance", "by"]
    rows = db.session.execute(select(CheckinScan).where(CheckinScan.event_id == event_id).order_by(CheckinScan.at,
                                                                                                  CheckinScan.id)).scalars()
    return header, ([s.at, s.action, s.verdict, s.registration.name if s.registration else "",
                     s.registration.organisation_name if s.registration else "", s.entrance, s.actor_name] for s in rows)


def _signatures(event_id):
    from ..signing.models import Signature

    header = ["sequence", "kind", "partner", "signer_name", "signer_function", "signed_at_utc", "pledge_version",
              "pledge_sha256", "verification_code", "record_hash", "prev_hash", "device", "user"]
    # Without the image bytes and the strokes: the export is a list, the evidence stays in the app.
    rows = db.session.execute(select(Signature).where(Signature.event_id == event_id).order_by(Signature.sequence)).scalars()
    return header, ([s.sequence, s.kind, s.organisation_name, s.signer_name, s.signer_function, s.signed_at,
                     s.pledge_version.number, s.pledge_sha256, s.verification_code, s.record_hash, s.prev_hash,
                     s.device_name, s.user_name] for s in rows)


def _signatory_registrations(event_id):
    from ..registration.models import CANCELLED, Registration

    return db.session.execute(select(Registration).where(Registration.event_id == event_id,
                                                         Registration.participation == "signatory",
                                                         Registration.status != CANCELLED)
                              .order_by(Registration.organisation_name)).scalars().all()


def _commitments(event_id):
    header = ["organisation", "signatory", "email", "activity_1", "activity_2", "activity_3"]
    return header, ([r.organisation_name, r.name, r.email, r.commitment_for(1), r.commitment_for(2), r.commitment_for(3)]
                    for r in _signatory_registrations(event_id))


def _suggested_partners(event_id):
    header = ["suggested_organisation", "contact_name", "contact_email", "suggested_by", "suggested_by_organisation"]
    return header, ([p.organisation, p.contact_name, p.email, r.name, r.organisation_name]
                    for r in _signatory_registrations(event_id) for p in r.suggested_partners)


DATASETS = {"registrations": _registrations, "checkins": _checkins, "signatures": _signatures,
            "commitments": _commitments, "suggested_partners": _suggested_partners}


def table(dataset: str) -> tuple[list[str], list[list]]:
    """The header and the neutralised rows of one export."""
    header, rows = DATASETS[dataset](require_event().id)
    return header, [[neutralise(value) for value in row] for row in rows]


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(header: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(dataset: str, fmt: str) -> bytes:
    """One dataset as CSV or XLSX bytes."""
    header, rows = table(dataset)
    return to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, dataset)
