from typing import Any

from audit.models import AuditEntry


def audit_record(
    *,
    action: str,
    member=None,
    actor=None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append an audit entry. Callers pass personal values already masked."""
    return AuditEntry.objects.create(
        action=action, member=member, actor=actor, data=data or {}, ip=ip or None
    )
