"""Staff accounts from the console: add, disable or enable, reset a password; each with its audit row."""
from flask_babel import gettext as _

from ..auth import services as accounts
from ..auth.models import Device, StaffUser
from ..errors import DomainError
from ..extensions import db
from .audit import actor_of, record


def get_user(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def add(email: str, name: str, role: str, actor) -> tuple[StaffUser, str]:
    """Create an account with a random password; return it with the password (shown once, never stored)."""
    password = accounts.new_password()
    record(actor, "staff.add", f"staff:{email.strip().lower()}", {"role": role, "name": name})
    try:
        user = accounts.create_user(email, role, password, name)  # commits the audit row with it
    except DomainError:
        db.session.rollback()
        raise
    return user, password


def set_active(user: StaffUser, active: bool, actor) -> None:
    """Disable or enable an account; an organiser cannot lock themselves out."""
    if user.email == actor_of(actor)[0] and not active:
        raise DomainError("cannot_disable_self", _("You cannot disable your own account."))
    if user.active == active:
        return
    record(actor, "staff.enable" if active else "staff.disable", f"staff:{user.email}", {"active": [user.active, active]})
    accounts.set_active(user, active)
    db.session.commit()


def reset_password(user: StaffUser, actor) -> str:
    """Give the account a new random password and return it (the organiser passes it on)."""
    record(actor, "staff.reset_password", f"staff:{user.email}", {})
    password = accounts.reset_password(user)
    db.session.commit()
    return password


def devices() -> list[Device]:
    """Paired door and signing devices (created and revoked on the door's own pages), newest first."""
    return list(db.session.scalars(db.select(Device).order_by(Device.id.desc())))
