"""Reading an uploaded invitee list (CSV or XLSX) into checked rows; nothing is saved here."""
import csv
import io

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from ..errors import DomainError
from ..organiser.exports import FORMULA_STARTS

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Column headers as organisers write them, in Dutch or English (compared in lower case, spaces trimmed).
HEADERS = {
    "name": "name", "naam": "name", "full name": "name", "volledige naam": "name",
    "email": "email", "e-mail": "email", "e-mailadres": "email", "emailadres": "email", "email address": "email",
    "e-mail address": "email",
    "organisation": "organisation", "organization": "organisation", "organisatie": "organisation",
    "type": "type", "soort": "type", "type organisatie": "type", "organisation type": "type",
    "language": "language", "taal": "language",
}
# Organisation types as written in a list (Dutch or English, or the app's own codes).
TYPE_ALIASES = {
    "gemeente": "municipality", "municipality": "municipality",
    "rijk": "national_government", "rijksoverheid": "national_government", "ministerie": "national_government",
    "national government": "national_government",
    "zorg": "health_youth_care", "jeugdzorg": "health_youth_care", "gezondheidszorg": "health_youth_care",
    "health or youth care": "health_youth_care", "care": "health_youth_care",
    "onderwijs": "education", "school": "education", "education": "education",
    "maatschappelijke organisatie": "social_organisation", "stichting": "social_organisation",
    "social organisation": "social_organisation", "bedrijf": "company", "company": "company",
    "kennisinstituut": "knowledge_institute", "knowledge institute": "knowledge_institute",
    "ervaringsdeskundige": "lived_experience", "lived experience": "lived_experience",
    "pers": "press", "press": "press", "partner": "other", "overig": "other", "anders": "other", "other": "other",
}


def _too_large():
    return DomainError("file_too_large", _("The file is larger than 2 MB. Please split the list."), "file")


def read_upload(filename: str, data: bytes) -> list[tuple[int, list[str] | None, str]]:
    """The file's lines as (line number, cells or None when unreadable, raw text) -- header included."""
    if len(data) > MAX_BYTES:
        raise _too_large()
    name = (filename or "").lower()
    if name.endswith(".xlsx") and data.startswith(b"PK"):
        return _xlsx_lines(data)
    if name.endswith((".csv", ".txt")):
        return _csv_lines(data)
    raise DomainError("file_type", _("Please upload a CSV file or an Excel workbook (.xlsx)."), "file")


def _csv_lines(data: bytes):
    """Decode line by line, so that one line with non-UTF-8 bytes is reported by number and the rest still read."""
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[0].startswith(b"\xef\xbb\xbf"):
        raw_lines[0] = raw_lines[0][3:]
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        raw = raw.rstrip(b"\r")
        try:
            lines.append((number, raw.decode("utf-8")))
        except UnicodeDecodeError:
            lines.append((number, None, raw.decode("utf-8", "replace")))
    header = next((line[1] for line in lines if len(line) == 2 and line[1].strip()), "")
    delimiter = max((";", ",", "\t"), key=header.count)
    result = []
    for line in lines[:MAX_ROWS + 1]:
        if len(line) == 3:
            result.append(line)
        elif line[1].strip():
            result.append((line[0], next(csv.reader([line[1]], delimiter=delimiter)), line[1]))
    return result


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula comes out as its "=..." text, so it is flagged, never evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        result = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1:
                break
            cells = ["" if value is None else str(value) for value in row]
            if any(cell.strip() for cell in cells):
                result.append((number, cells, ";".join(cells)))
        workbook.close()
    except Exception as exc:  # noqa: BLE001 - a broken workbook is the uploader's problem, told as such
        raise DomainError("file_unreadable", _("This Excel file could not be read. Please save it again as .xlsx or CSV."), "file") from exc
    return result


def _columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for index, title in enumerate(header):
        field = HEADERS.get(title.strip().lower())
        if field and field not in columns:
            columns[field] = index
    if "name" not in columns or "email" not in columns:
        raise DomainError("columns_missing", _("The first line must name the columns: name (naam), e-mail, organisation (organisatie) and type."), "file")
    return columns


def normalised_email(value: str) -> str | None:
    """The address in its normalised form, or None when it is not a valid address."""
    try:
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError:
        return None


def check_rows(lines, invited: set[str], registered: set[str]) -> list[dict]:
    """One dict per data line with its values and problems (codes); rows without problems may be saved."""
    if not lines or lines[0][1] is None:
        raise DomainError("columns_missing", _("The first line must name the columns: name (naam), e-mail, organisation (organisatie) and type."), "file")
    columns = _columns(lines[0][1])
    seen: dict[str, int] = {}
    rows = []
    for number, cells, raw in lines[1:]:
        if cells is None:
            rows.append({"line": number, "raw": raw[:200], "problems": ["not_utf8"], "warnings": []})
            continue
        values = {field: (cells[index] if index < len(cells) else "") for field, index in columns.items()}
        rows.append(_check_row(number, values, seen, invited, registered))
    return rows


def _check_row(number: int, values: dict, seen: dict, invited: set, registered: set) -> dict:
    problems, warnings = [], []
    if any(value.startswith(FORMULA_STARTS) or value.strip().startswith(FORMULA_STARTS) for value in values.values()):
        problems.append("formula")
    row = {field: values.get(field, "").strip() for field in ("name", "email", "organisation", "type", "language")}
    if not row["name"]:
        problems.append("name_missing")
    email = normalised_email(row["email"]) if row["email"] else None
    key = email.lower() if email else None
    if email is None:
        problems.append("email_invalid")
    elif key in seen:
        problems.append("duplicate_in_file")
        row["duplicate_of"] = seen[key]
    elif key in invited:
        problems.append("already_invited")
    elif key in registered:
        problems.append("already_registered")
    if key and key not in seen:
        seen[key] = number
    row["email"] = email or row["email"]
    type_code = TYPE_ALIASES.get(row["type"].lower()) if row["type"] else "other"
    if type_code is None:
        warnings.append("type_unknown")
    row["type"] = type_code or "other"
    row["language"] = "en" if row["language"].lower() in ("en", "english", "engels") else "nl"
    return {"line": number, **row, "problems": problems, "warnings": warnings}
