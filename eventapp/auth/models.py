"""Staff accounts: organisers, door staff and signing-table staff."""
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db

ROLES = ("organiser", "door", "signing")
DEVICE_ROLES = ("door", "signing")


class StaffUser(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False, default="")
    role = db.Column(db.String(20), nullable=False)
    password_hash = db.Column(db.String(300), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def actor_key(self) -> str:
        """Identifies this credential in logs and nonce scopes ("user:3")."""
        return f"user:{self.id}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class DeviceIdentity:
    """How a device appears in logs and verdicts, for the ORM row and the API's lightweight TokenDevice alike."""

    id: int
    name: str

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def actor_key(self) -> str:
        """Identifies this credential in logs and nonce scopes ("device:2"); also its Flask-Login id."""
        return f"device:{self.id}"


class Device(DeviceIdentity, UserMixin, db.Model):
    """A named door or signing device ("Ingang 1"): signs in by a one-time pairing link or a bearer token.

    Only SHA-256 hashes of the token and of the pairing secret are stored; revoking a device ends
    its sessions and its token at once (the user loader refuses a revoked device).
    """

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    role = db.Column(db.String(20), nullable=False, default="door")
    token_hash = db.Column(db.String(64), nullable=True, unique=True)
    pairing_hash = db.Column(db.String(64), nullable=True, unique=True)
    pairing_expires_at = db.Column(db.DateTime, nullable=True)
    created_at = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.String(200), nullable=False, default="")
    paired_at = db.Column(db.DateTime, nullable=True)
    revoked_at = db.Column(db.DateTime, nullable=True)

    def get_id(self) -> str:
        return self.actor_key

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
