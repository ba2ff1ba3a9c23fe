"""The organiser's form for a new door or signing device."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from .forms import printable_text


class DeviceForm(FlaskForm):
    name = StringField(_l("Name of the device"), validators=[DataRequired(_l("Give the device a name, such as “Ingang 1”.")),
                                                             Length(max=100), printable_text],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value])
    role = RadioField(_l("Used for"), choices=[("door", _l("Door (scanning tickets)")), ("signing", _l("Signing table"))],
                      default="door", validators=[DataRequired()])
