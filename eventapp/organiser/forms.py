"""The console's forms (Flask-WTF, CSRF-protected)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..registration.forms import as_choices, printable_text, strip, valid_email

TEXT = {"filters": [strip]}


class ActionForm(FlaskForm):
    """A one-button action (cancel, resend, ...): the CSRF token plus a marker an empty POST lacks."""

    confirm = HiddenField(validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.confirm.data = "1"  # rendered into the page; a POST without it (a bare request) is refused


class NotesForm(ActionForm):
    internal_notes = TextAreaField(_l("Internal notes"), validators=[Optional(), Length(max=5000), printable_text], **TEXT)


class MailingForm(FlaskForm):
    """A mail to a filtered set of registrants, in Dutch and English; plain text, no markup."""

    subject_nl = StringField(_l("Subject (Dutch)"), validators=[DataRequired(_l("Please write a subject.")), Length(max=200), printable_text], **TEXT)
    body_nl = TextAreaField(_l("Message (Dutch)"), validators=[DataRequired(_l("Please write a message.")), Length(max=20000)], **TEXT)
    subject_en = StringField(_l("Subject (English)"), validators=[DataRequired(_l("Please write a subject.")), Length(max=200), printable_text], **TEXT)
    body_en = TextAreaField(_l("Message (English)"), validators=[DataRequired(_l("Please write a message.")), Length(max=20000)], **TEXT)
    status = SelectField(_l("Status"), validators=[Optional()])
    participation = SelectField(_l("Participation"), validators=[Optional()])
    organisation_type = SelectField(_l("Type of organisation"), validators=[Optional()])
    checked_in = SelectField(_l("Checked in"), validators=[Optional()])
    confirmed_send = HiddenField()  # "1" after the preview: the second submit sends

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..registration.choices import ORGANISATION_TYPES, PARTICIPATIONS
        from .queries import STATUS_LABELS

        anything = [("", _l("Any"))]
        self.status.choices = as_choices([("", _l("Not cancelled"))] + list(STATUS_LABELS.items()))
        self.participation.choices = as_choices(anything + PARTICIPATIONS)
        self.organisation_type.choices = as_choices(anything + ORGANISATION_TYPES)
        self.checked_in.choices = as_choices(anything + [("yes", _l("Checked in")), ("no", _l("Not checked in"))])

    def mail_data(self) -> dict:
        return {name: getattr(self, name).data for name in ("subject_nl", "body_nl", "subject_en", "body_en")}

    def filter_data(self) -> dict:
        return {name: getattr(self, name).data for name in ("status", "participation", "organisation_type", "checked_in")
                if getattr(self, name).data}


class EventForm(FlaskForm):
    """The event's settings; dates and times are entered in Amsterdam time."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200), printable_text], **TEXT)
    date = DateField(_l("Date"), validators=[InputRequired(_l("Please enter a date."))])
    start_time = TimeField(_l("Start time"), validators=[InputRequired(_l("Please enter a time."))])
    end_time = TimeField(_l("End time"), validators=[InputRequired(_l("Please enter a time."))])
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200), printable_text], **TEXT)
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300), printable_text], **TEXT)
    city = StringField(_l("City"), validators=[Optional(), Length(max=100), printable_text], **TEXT)
    capacity = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=0, max=100000)])
    opens_date = DateField(_l("Registration opens on"), validators=[Optional()])
    closes_date = DateField(_l("Registration closes on"), validators=[Optional()])
    registration_mode = SelectField(_l("Who may register"), choices=as_choices([
        ("open", _l("Anyone with the link (open)")), ("invitation", _l("Only invitees, through their personal link"))]))
    walk_ins_beyond_capacity = BooleanField(_l("The door may admit walk-ins when every seat is taken"))
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200), printable_text], **TEXT)
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254), valid_email], **TEXT)
    announce = BooleanField(_l("Announce a change of date, time or venue to everyone registered (with an updated calendar file)"))
    announcement_nl = TextAreaField(_l("Extra message (Dutch, optional)"), validators=[Optional(), Length(max=5000)], **TEXT)
    announcement_en = TextAreaField(_l("Extra message (English, optional)"), validators=[Optional(), Length(max=5000)], **TEXT)


class StaffForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254), valid_email], **TEXT)
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200), printable_text], **TEXT)
    role = SelectField(_l("Role"), choices=as_choices([
        ("organiser", _l("Organiser")), ("door", _l("Door")), ("signing", _l("Signing table"))]),
        validators=[InputRequired()])


