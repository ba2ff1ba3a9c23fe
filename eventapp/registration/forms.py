"""The RSVP form (Flask-WTF, CSRF-protected); the rules behind it live in services.py."""
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, FieldList, Form, FormField, HiddenField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from .choices import LANGUAGE_CHOICES, ORGANISATION_TYPES, PARTICIPATIONS


def printable_text(form, field):
    """Refuse control characters (a NUL byte would be refused by PostgreSQL); keep accents and scripts."""
    value = field.data or ""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise ValidationError(_l("This field contains characters that cannot be stored."))


def valid_email(form, field):
    """Check the address's form (no network look-up) and store it in its normalised form."""
    if not field.data:
        return
    try:
        # No network look-up; and no non-ASCII before the "@", which most mail servers cannot deliver to.
        field.data = validate_email(field.data.strip(), check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError:
        raise ValidationError(_l("Please enter a valid e-mail address, such as name@organisation.nl."))


def sent_once(form, field):
    """Refuse a field sent more than once: no browser does that, and keeping one value would drop the other."""
    if len(getattr(field, "raw_data", None) or ()) > 1:
        raise StopValidation(_l("This field was sent more than once. Please fill it in once."))


class SentOnce:
    """Form Meta: every field checks first that it was sent at most once."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        field.validators = [sent_once, *field.validators]
        return field


def as_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


TEXT = {"filters": [strip]}


class PartnerForm(Form):
    """One suggested new partner."""

    Meta = SentOnce

    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200), printable_text], **TEXT)
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200), printable_text], **TEXT)
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254), valid_email], **TEXT)


class DetailsForm(FlaskForm):
    """The fields a registrant can change later on the manage page."""

    Meta = SentOnce

    name = StringField(_l("Name"), validators=[DataRequired(_l("Please enter your name.")), Length(max=200), printable_text],
                       render_kw={"autocomplete": "name"}, **TEXT)
    organisation = StringField(_l("Organisation"), validators=[DataRequired(_l("Please enter your organisation.")), Length(max=200), printable_text],
                               render_kw={"autocomplete": "organization"}, **TEXT)
    organisation_type = SelectField(_l("Type of organisation"), choices=as_choices(ORGANISATION_TYPES),
                                    validators=[InputRequired(_l("Please choose the type of organisation."))])
    function = StringField(_l("Function"), validators=[Optional(), Length(max=200), printable_text],
                           render_kw={"autocomplete": "organization-title"}, **TEXT)
    participation = RadioField(_l("How do you take part?"), choices=as_choices(PARTICIPATIONS),
                               validators=[InputRequired(_l("Please choose how you take part."))])
    commitment_1 = TextAreaField(validators=[Optional(), Length(max=5000), printable_text], **TEXT)
    commitment_2 = TextAreaField(validators=[Optional(), Length(max=5000), printable_text], **TEXT)
    commitment_3 = TextAreaField(validators=[Optional(), Length(max=5000), printable_text], **TEXT)
    partners = FieldList(FormField(PartnerForm), min_entries=3, max_entries=3)
    monitoring_consent = BooleanField(_l("Our organisation takes part in the yearly monitoring of the pledge."))
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Optional(), Length(max=2000), printable_text], **TEXT)
    dietary_wishes = TextAreaField(_l("Dietary wishes"), validators=[Optional(), Length(max=1000), printable_text], **TEXT)
    photo_consent = BooleanField(_l("I agree to appear in photos and video of the event."))
    newsletter_opt_in = BooleanField(_l("Send me the Alliantie Kinderarmoede newsletter."))
    language = SelectField(_l("Language for e-mails"), choices=as_choices(LANGUAGE_CHOICES), validators=[InputRequired()])

    def to_data(self) -> dict:
        """The form's content in the shape the registration services take."""
        return {
            "name": self.name.data,
            "organisation": self.organisation.data,
            "organisation_type": self.organisation_type.data,
            "function": self.function.data or "",
            "participation": self.participation.data,
            "commitments": {n: getattr(self, f"commitment_{n}").data or "" for n in (1, 2, 3)},
            "suggested_partners": [{key: value or "" for key, value in entry.data.items()} for entry in self.partners],
            "monitoring_consent": bool(self.monitoring_consent.data),
            "accessibility_needs": self.accessibility_needs.data or "",
            "dietary_wishes": self.dietary_wishes.data or "",
            "photo_consent": bool(self.photo_consent.data),
            "newsletter_opt_in": bool(self.newsletter_opt_in.data),
            "language": self.language.data,
        }

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then the RSVP rules of services.py, each message next to its own field at once."""
        from .services import rsvp_problems

        valid = super().validate(extra_validators)
        data = self.to_data()
        problems = [p for p in rsvp_problems(data, "privacy_consent" in data) if not getattr(self, p.field).errors]
        for problem in problems:
            show_refusal(self, problem)
        return valid and not problems

    def fill_from(self, registration) -> None:
        """Pre-fill the form from a stored registration (for the change page)."""
        for field in ("name", "function", "participation", "accessibility_needs", "dietary_wishes",
                      "photo_consent", "newsletter_opt_in", "monitoring_consent", "language"):
            getattr(self, field).data = getattr(registration, field)
        self.organisation.data = registration.organisation_name
        self.organisation_type.data = registration.organisation_type
        for n in (1, 2, 3):
            getattr(self, f"commitment_{n}").data = registration.commitment_for(n)
        for entry, partner in zip(self.partners, registration.suggested_partners):
            entry.form.organisation.data = partner.organisation
            entry.form.contact_name.data = partner.contact_name
            entry.form.email.data = partner.email


class RegistrationForm(DetailsForm):
    """The RSVP form: the details plus the e-mail address and the privacy consent."""

    email = StringField(_l("E-mail"), validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254), valid_email],
                        render_kw={"autocomplete": "email", "type": "email"}, **TEXT)
    privacy_consent = BooleanField(_l("I have read the privacy statement and agree that my details are used for this event."))
    invitation = HiddenField(validators=[Optional(), Length(max=60)])  # the personal invitation link's secret

    def to_data(self) -> dict:
        data = super().to_data()
        data["email"] = self.email.data
        data["privacy_consent"] = bool(self.privacy_consent.data)
        data["invitation_secret"] = self.invitation.data or ""
        return data

    def fill_from_invitation(self, invitation) -> None:
        """Pre-fill what the invitation already knows (an unknown link fills in nothing)."""
        if invitation is None:
            return
        self.invitation.data = invitation.secret
        self.name.data, self.email.data = invitation.name, invitation.email
        self.organisation.data, self.organisation_type.data = invitation.organisation, invitation.organisation_type
        self.language.data = invitation.language


class ConfirmForm(FlaskForm):
    """An empty form: a button with CSRF protection (e.g. "Yes, cancel")."""


def show_refusal(form, error) -> None:
    """Put a service's refusal next to the field it concerns (or at the top of the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)
