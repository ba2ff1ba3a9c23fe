"""Forms of the signing station and the organisers' partner pages (Flask-WTF, so CSRF is checked)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth.forms import printable_text


class SignForm(FlaskForm):
    """The signatory's name and function; the image and strokes arrive as files from signature.js."""

    signer_name = StringField(_l("Name of the signatory"), validators=[DataRequired(_l("Please fill in this field.")),
                                                                      Length(max=200), printable_text],
                              render_kw={"autocomplete": "off"})
    signer_function = StringField(_l("Function"), validators=[Length(max=200), printable_text],
                                  render_kw={"autocomplete": "off"})
    registration_id = HiddenField()


class PartnerNameForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(_l("Please fill in this field.")),
                                                           Length(max=200), printable_text])


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge into"), coerce=int, validate_choice=False)


class PaperForm(FlaskForm):
    scan = FileField(_l("Scan of the signed paper (PDF, PNG or JPEG, optional)"))


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Reason for the withdrawal"), validators=[DataRequired(_l("Please fill in this field.")),
                                                                      Length(max=200), printable_text])


class PledgeForm(FlaskForm):
    text = TextAreaField(_l("Pledge text"), validators=[DataRequired(_l("Please fill in this field."))],
                         render_kw={"rows": 18})


class ActionForm(FlaskForm):
    """A form with only the CSRF token (running order fields are read by name)."""
