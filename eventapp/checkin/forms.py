"""The door's walk-in form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from ..auth.forms import printable_text
from ..registration.forms import TEXT, valid_email


class WalkInForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Please enter the name.")), Length(max=200), printable_text],
                       render_kw={"autocomplete": "off"}, **TEXT)
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200), printable_text],
                               render_kw={"autocomplete": "off"}, **TEXT)
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), Length(max=254), valid_email],
                        render_kw={"autocomplete": "off", "type": "email"}, **TEXT)
