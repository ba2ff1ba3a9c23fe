"""The fixed choices of the RSVP form, as stable codes with translatable labels."""
from flask_babel import lazy_gettext as _l

ORGANISATION_TYPES = [
    ("municipality", _l("Municipality")),
    ("national_government", _l("National government")),
    ("health_youth_care", _l("Health or youth care")),
    ("education", _l("Education")),
    ("social_organisation", _l("Social organisation")),
    ("company", _l("Company")),
    ("knowledge_institute", _l("Knowledge institute")),
    ("lived_experience", _l("Ervaringsdeskundige (no organisation)")),
    ("press", _l("Press")),
    ("other", _l("Other")),
]

PARTICIPATIONS = [
    ("signatory", _l("I sign the pledge on behalf of my organisation")),
    ("attendee", _l("I attend")),
    ("press", _l("Press")),
    ("lived_experience", _l("Ervaringsdeskundige (lived experience expert)")),
    ("youth", _l("Young person")),
]

# The pledge's three activities, in the client's words (the seed's pledge text).
PLEDGE_ACTIVITIES = [
    (1, _l("We identify poverty, make it open to discussion and know which other organisations can be involved in solving it.")),
    (2, _l("We do what is in our power to resolve the (health) consequences of poverty within (expectant) families.")),
    (3, _l("We actively work together and show what works.")),
]

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]


def label(choices, code) -> str:
    """The translated label for a stored code (the code itself if it is unknown)."""
    return str(dict(choices).get(code, code))

# Short labels where space is scarce: the door's verdict, the door list, badges.
PARTICIPATION_SHORT = [
    ("signatory", _l("Signatory")),
    ("attendee", _l("Guest")),
    ("press", _l("Press")),
    ("lived_experience", _l("Ervaringsdeskundige")),
    ("youth", _l("Young person")),
]
