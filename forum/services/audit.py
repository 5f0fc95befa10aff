"""Writing the audit log, in the same transaction as the action it records."""
from __future__ import annotations

from forum.models import utcnow
from forum.models.audit import ModerationAction
from forum.models.base import db


def log_action(
    actor,
    action: str,
    target_type: str,
    target_id: int,
    *,
    subject_user_id: int | None = None,
    reason: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> ModerationAction:
    """Add an audit row for an action; the caller commits it together with the action."""
    row = ModerationAction(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_user_id=subject_user_id,
        reason=reason,
        before=before,
        after=after,
        created_at=utcnow(),
    )
    db.session.add(row)
    return row
