"""Imports every domain's tables, so that SQLAlchemy and Alembic see the whole schema."""
from .auth.models import StaffUser  # noqa: F401
from .event.models import Event  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401
from .registration.models import Commitment, Organisation, Registration, RegistrationLog, SuggestedPartner  # noqa: F401
from .signing.models import PledgeVersion  # noqa: F401
