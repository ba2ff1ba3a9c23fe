"""The staff login form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError


def printable_text(form, field):
    """Refuse control characters: PostgreSQL cannot even look up a string with a NUL byte."""
    if any(ord(c) < 32 for c in field.data or ""):
        raise ValidationError(_l("This field contains characters that cannot be stored."))


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254),
                                                  printable_text],
                        render_kw={"autocomplete": "username", "type": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password.")), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
