"""Invitation forms: the list upload (CSV or XLSX); the other buttons use registration's ConfirmForm."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(_l("List of invitees (CSV or Excel)"),
                     validators=[FileRequired(_l("Please choose a file.")),
                                 FileAllowed(["csv", "xlsx", "txt"], _l("Please upload a CSV file or an Excel workbook (.xlsx)."))])


def chosen_ids(values: list[str]) -> list[int]:
    """The ticked rows' numbers from a form (ignoring anything that is not a number)."""
    return [int(value) for value in values if value.isdigit()]
