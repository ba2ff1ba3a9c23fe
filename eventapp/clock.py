"""The one place the app asks for the time; tests freeze it here."""
from datetime import datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time as a naive UTC datetime (how the database stores it)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc).replace(tzinfo=None)


def freeze(at: datetime | None) -> None:
    """Pin now() to `at` (naive UTC); None lets the clock run again."""
    global _frozen
    _frozen = at
