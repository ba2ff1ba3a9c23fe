"""Imports every domain's tables, so that SQLAlchemy and Alembic see the whole schema."""
from .auth.models import Device, StaffUser  # noqa: F401
from .checkin.models import CheckinScan  # noqa: F401
from .event.models import Event  # noqa: F401
from .mail.models import OutboxMessage  # noqa: F401
from .registration.models import Commitment, Organisation, Registration, RegistrationLog, SuggestedPartner  # noqa: F401
from .signing.models import Partner, PledgeVersion, Signature  # noqa: F401
from .organiser.models import AuditEntry, Mailing  # noqa: F401
from .invitations.models import Invitation, InvitationImport, InvitationMail  # noqa: F401
