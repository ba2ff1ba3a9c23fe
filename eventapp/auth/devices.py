"""Door and signing devices: one-time pairing links for phones, bearer tokens for scripts and handhelds."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from .. import clock
from ..errors import DomainError
from ..extensions import db
from .models import DEVICE_ROLES, Device, DeviceIdentity

PAIRING_VALID_FOR = timedelta(hours=24)
TOKEN_PREFIX = "akd_"  # recognisable in logs and secret scanners


def hash_secret(value: str) -> str:
    """Devices' tokens and pairing secrets are stored only as SHA-256 (they are random, so no salt is needed)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 bits


def list_devices() -> list[Device]:
    return list(db.session.execute(select(Device).order_by(Device.revoked_at.is_not(None), Device.name)).scalars())


def _check_new_device(name: str, role: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("device_name", _("Give the device a name of at most 100 characters, such as “Ingang 1”."), "name")
    if role not in DEVICE_ROLES:
        raise DomainError("device_role", _("A device is for the door or for the signing table."), "role")
    return name


def create_device(name: str, role: str = "door", created_by: str = "", at=None) -> tuple[Device, str]:
    """Create a device with a one-time pairing secret; return it and the secret (shown once, stored hashed)."""
    name = _check_new_device(name, role)
    at = at or clock.now()
    pairing = secrets.token_urlsafe(24)
    device = Device(name=name, role=role, created_at=at, created_by=created_by, pairing_hash=hash_secret(pairing),
                    pairing_expires_at=at + PAIRING_VALID_FOR)
    db.session.add(device)
    db.session.commit()
    return device, pairing


def create_device_with_token(name: str, role: str = "door", created_by: str = "cli", at=None) -> tuple[Device, str]:
    """Create a device for a script or handheld app; return it and its bearer token (shown once)."""
    name = _check_new_device(name, role)
    token = _new_token()
    device = Device(name=name, role=role, created_at=at or clock.now(), created_by=created_by,
                    token_hash=hash_secret(token))
    db.session.add(device)
    db.session.commit()
    return device, token


def renew_pairing(device: Device, at=None) -> str:
    """A fresh one-time pairing secret for a device (the previous link stops working)."""
    if not device.is_active:
        raise DomainError("device_revoked", _("This device has been revoked."))
    at = at or clock.now()
    pairing = secrets.token_urlsafe(24)
    device.pairing_hash, device.pairing_expires_at = hash_secret(pairing), at + PAIRING_VALID_FOR
    db.session.commit()
    return pairing


def find_pairable(pairing: str, at=None) -> Device | None:
    """The device a pairing link belongs to, if the link is unused, unexpired and the device not revoked."""
    if not pairing or len(pairing) > 100:
        return None
    device = db.session.execute(select(Device).where(Device.pairing_hash == hash_secret(pairing))).scalar_one_or_none()
    if device is None or not device.is_active or device.pairing_expires_at < (at or clock.now()):
        return None
    return device


def pair(pairing: str, at=None) -> Device:
    """Use up a pairing link: exactly one phone gets the device, even if the link is opened twice at once."""
    at = at or clock.now()
    device = find_pairable(pairing, at)
    if device is None:
        raise DomainError("pairing_invalid", _("This pairing link has been used, has expired or was revoked. Ask an organiser for a new one."))
    claimed = db.session.execute(
        update(Device).where(Device.id == device.id, Device.pairing_hash == hash_secret(pairing))
        .values(pairing_hash=None, pairing_expires_at=None, paired_at=at)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        raise DomainError("pairing_invalid", _("This pairing link has been used, has expired or was revoked. Ask an organiser for a new one."))
    return db.session.get(Device, device.id)


def revoke(device: Device, at=None) -> None:
    """End the device's sessions and token at once; the device stays in the log under its name."""
    device.revoked_at = device.revoked_at or at or clock.now()
    device.token_hash, device.pairing_hash, device.pairing_expires_at = None, None, None
    db.session.commit()


@dataclass(frozen=True)
class TokenDevice(DeviceIdentity):
    """The active device behind a bearer token: what an API request needs of it, read without the ORM."""

    id: int
    name: str
    role: str


# Built once: every door API request looks its device up, and building an ORM query per request cost more
# than the lookup itself (bench/RESULTS.md, "Where the time goes").
_device = Device.__table__
DEVICE_BY_TOKEN = select(_device.c.id, _device.c.name, _device.c.role).where(
    _device.c.token_hash == bindparam("token_hash"), _device.c.revoked_at.is_(None))


def device_for_token(token: str) -> TokenDevice | None:
    """The active device a bearer token belongs to, or None (a revoked device's token is refused at once)."""
    if not token or len(token) > 200:
        return None
    row = db.session.connection().execute(DEVICE_BY_TOKEN, {"token_hash": hash_secret(token)}).one_or_none()
    return TokenDevice(*row) if row is not None else None
