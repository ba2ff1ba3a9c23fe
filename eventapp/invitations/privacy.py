"""What the invitations domain holds about a person, for privacy requests: export, anonymise, purge."""
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from ..extensions import db
from ..mail.models import OutboxMessage
from ..security import new_secret
from .models import Invitation, InvitationImport

INVITATION_FIELDS = ("name", "email", "organisation", "organisation_type", "language", "state", "created_at",
                     "sent_at", "opened_at", "registered_at", "declined_at", "reminded_at")


def invitations_for(email_normalised: str) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(Invitation.email_normalised == email_normalised)))


def invitation_data(email_normalised: str) -> list[dict]:
    """The person's invitations as JSON-ready data (for a subject access request)."""
    return [{field: getattr(invitation, field) for field in INVITATION_FIELDS}
            for invitation in invitations_for(email_normalised)]


def forget_invitations(invitations: list[Invitation]) -> None:
    """Blank the invitees' details and the mails that carried their link (no commit); the states stay as counts."""
    for invitation in invitations:
        db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.recipient) == invitation.email_normalised))
        invitation.name, invitation.organisation = _("Anonymised"), ""
        invitation.email = invitation.email_normalised = f"anonymised-invitation-{invitation.id}@invalid.invalid"
        invitation.secret = new_secret()  # the old personal link leads nowhere


def forget_all(event_id: int) -> int:
    """After the event: forget every invitee and every uploaded list (no commit); return how many invitees."""
    invitations = list(db.session.scalars(select(Invitation).where(
        Invitation.event_id == event_id, ~Invitation.email_normalised.like("anonymised-invitation-%"))))
    forget_invitations(invitations)
    db.session.execute(delete(InvitationImport))  # a pending upload holds names and addresses too
    return len(invitations)
