"""Creating staff accounts and checking their passwords."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import clock
from ..errors import DomainError
from ..extensions import db
from .models import ROLES, StaffUser

MIN_PASSWORD_LENGTH = 10


def find_user(email: str) -> StaffUser | None:
    return db.session.execute(select(StaffUser).where(StaffUser.email == email.strip().lower())).scalar_one_or_none()


def create_user(email: str, role: str, password: str, name: str = "") -> StaffUser:
    """Create a staff account; refuses unknown roles, short passwords and taken addresses."""
    if role not in ROLES:
        raise DomainError("unknown_role", _("Unknown role: %(role)s", role=role))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("password_too_short", _("A password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if find_user(email) is not None:
        raise DomainError("email_taken", _("There is already an account for %(email)s.", email=email))
    user = StaffUser(email=email.strip().lower(), role=role, name=name or email.split("@")[0], created_at=clock.now())
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def ensure_user(email: str, role: str, password: str, name: str = "") -> StaffUser:
    """Create the account unless it exists (for the idempotent demo seed)."""
    return find_user(email) or create_user(email, role, password, name)


def authenticate(email: str, password: str) -> StaffUser:
    user = find_user(email or "")
    # Same message whether the address or the password is wrong: no hint which accounts exist.
    if user is None or not user.check_password(password or "") or not user.active:
        raise DomainError("bad_login", _("E-mail address or password is not correct."))
    return user


def new_password() -> str:
    """A random password for a new or reset account, shown once to the organiser who made it."""
    import secrets

    return secrets.token_urlsafe(12)


def set_active(user: StaffUser, active: bool) -> None:
    """Disable or re-enable an account (no commit: the caller's service commits with its audit row).

    A disabled user's session ends at its next request: the user loader refuses inactive users.
    """
    user.active = active


def disable_user(user: StaffUser) -> None:
    set_active(user, False)


def reset_password(user: StaffUser) -> str:
    """Give the account a new random password and return it (no commit)."""
    password = new_password()
    user.set_password(password)
    return password


def staff_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.role, StaffUser.email)))
