"""The console's journal: every organiser action, who and when, with old and new values."""
import json

from sqlalchemy import or_, select

from .. import clock
from ..extensions import db
from .models import AuditEntry


def _jsonable(detail):
    """Dates and other values as text: the journal stores plain JSON."""
    return json.loads(json.dumps(detail or {}, default=str, ensure_ascii=False))


def actor_of(user) -> tuple[str, str]:
    """(key, display name) of a staff user, a device, or a plain string such as "cli"."""
    if isinstance(user, str):
        return user, user
    return getattr(user, "email", None) or getattr(user, "actor_key", str(user)), user.display_name


def record(actor, action: str, target: str = "", detail: dict | None = None, at=None) -> AuditEntry:
    """Add one journal row to the current transaction (flush only: the caller's service commits)."""
    key, name = actor_of(actor)
    entry = AuditEntry(at=at or clock.now(), actor=key, actor_name=name, action=action, target=target,
                       detail=_jsonable(detail))
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(action: str = "", actor: str = "", target: str = "", page: int = 1, per_page: int = 50):
    """One page of the journal, newest first, filtered by action prefix, actor and target."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor:
        pattern = f"%{actor.strip().lower()}%"
        query = query.where(or_(AuditEntry.actor.ilike(pattern), AuditEntry.actor_name.ilike(pattern)))
    if target:
        query = query.where(AuditEntry.target == target.strip())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def actions() -> list[str]:
    """Every action code in the journal, for the filter's choices."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def for_target(target: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.target == target).order_by(AuditEntry.id)))
