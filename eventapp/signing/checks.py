"""Checks on what a signing station or an organiser sends: signature PNG, strokes, names, paper scans."""
import io
import json
import struct

from flask_babel import gettext as _
from PIL import Image

from ..errors import DomainError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_BYTES = 512 * 1024
MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT = 4000, 3000
MAX_STROKES_BYTES = 512 * 1024
MAX_NAME_LENGTH = 200
MAX_SCAN_BYTES = 5 * 1024 * 1024
SCAN_TYPES = {b"%PDF-": "application/pdf", PNG_MAGIC: "image/png", b"\xff\xd8\xff": "image/jpeg"}


def check_signature_png(data: bytes | None) -> bytes:
    """Refuse anything but a PNG of bounded size and dimensions; the header is read before decoding."""
    if not data:
        raise DomainError("image_missing", _("Please draw a signature first."), "image")
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError("image_too_large", _("The signature image is too large (at most 512 kB)."), "image")
    if not data.startswith(PNG_MAGIC) or data[12:16] != b"IHDR" or len(data) < 24:
        raise DomainError("image_not_png", _("The signature must be a PNG image."), "image")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_IMAGE_WIDTH and 0 < height <= MAX_IMAGE_HEIGHT):
        raise DomainError("image_dimensions", _("The signature image is too large (at most %(w)d × %(h)d pixels).",
                                                w=MAX_IMAGE_WIDTH, h=MAX_IMAGE_HEIGHT), "image")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:  # noqa: BLE001 - any decoding failure means the upload is not a usable PNG
        raise DomainError("image_not_png", _("The signature must be a PNG image."), "image") from None
    return data


def check_strokes(raw: str | None) -> str:
    """The pen strokes as JSON: a list of strokes, at least one with a point; returned as sent."""
    raw = raw or ""
    if len(raw.encode("utf-8")) > MAX_STROKES_BYTES:
        raise DomainError("strokes_too_large", _("The signature has too many pen strokes."), "image")
    try:
        strokes = json.loads(raw)
    except ValueError:
        strokes = None
    if not isinstance(strokes, list) or not any(_points(stroke) for stroke in strokes):
        raise DomainError("strokes_empty", _("Please draw a signature first."), "image")
    return raw


def _points(stroke) -> list:
    """The points of one stroke (signature_pad's {"points": [...]} or a bare list)."""
    points = stroke.get("points") if isinstance(stroke, dict) else stroke
    return points if isinstance(points, list) else []


def check_name(value: str | None, field: str, required: bool = True) -> str:
    """A person's or organisation's name: trimmed, bounded, no markup characters."""
    value = " ".join((value or "").split())
    if any(ord(c) < 32 for c in value):  # PostgreSQL cannot even store a NUL byte
        raise DomainError(f"{field}_characters", _("This field contains characters that cannot be stored."), field)
    if required and not value:
        raise DomainError(f"{field}_missing", _("Please fill in this field."), field)
    if len(value) > MAX_NAME_LENGTH:
        raise DomainError(f"{field}_too_long", _("At most %(n)d characters, please.", n=MAX_NAME_LENGTH), field)
    if "<" in value or ">" in value:
        raise DomainError(f"{field}_markup", _("Please use no < or > characters in names."), field)
    return value


def scan_type(data: bytes) -> str:
    """The content type of a paper-signature scan, judged by its first bytes (PDF, PNG or JPEG)."""
    if len(data) > MAX_SCAN_BYTES:
        raise DomainError("scan_too_large", _("The scan is too large (at most 5 MB)."), "scan")
    for magic, content_type in SCAN_TYPES.items():
        if data.startswith(magic):
            return content_type
    raise DomainError("scan_type", _("The scan must be a PDF, PNG or JPEG file."), "scan")
