"""Secrets (tokens), role checks and response headers."""
import re
import secrets
from functools import wraps

from flask import abort
from flask_login import current_user

# No look-alike characters (0/O, 1/I/L): secrets are read aloud and typed at the door. Upper case
# and digits only, so the QR code can use the compact alphanumeric mode ("AK1:" fits it too).
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 26  # 26 * log2(31) = 128.8 bits
TICKET_PREFIX = "AK1:"
_SECRET_RE = re.compile(rf"^[{SECRET_ALPHABET}]{{{SECRET_LENGTH}}}$")


def new_secret() -> str:
    """Return a fresh random secret of at least 128 bits in the look-alike-free alphabet."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def clean_secret(raw: str | None) -> str | None:
    """Accept a secret as scanned, typed or linked (prefix, case and spaces forgiven); None if malformed."""
    if not raw or len(raw) > 200:
        return None
    value = raw.strip().upper()
    if value.startswith(TICKET_PREFIX):
        value = value[len(TICKET_PREFIX):]
    value = value.replace(" ", "").replace("-", "")
    return value if _SECRET_RE.match(value) else None


def qr_payload(ticket_secret: str) -> str:
    """What the ticket's QR code holds: a versioned prefix and the secret, nothing personal."""
    return TICKET_PREFIX + ticket_secret


def role_required(*roles: str):
    """Let in logged-in staff with one of `roles`; others are sent to login (anonymous) or refused (403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from .extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def add_security_headers(response):
    """Strict CSP (no inline script anywhere) and the usual hardening headers."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    return response
