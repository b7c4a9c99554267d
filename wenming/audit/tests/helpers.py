"""Test helpers: write a few events and tamper with them behind the triggers' back."""

from __future__ import annotations

from django.db import connection

from wenming.audit.guards import guards_suspended
from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record


def write_events(n: int) -> list[AuditEvent]:
    return [
        audit_record(AuditAction.UPDATE, object_type="test.Thing", object_id=i, object_repr=f"对象{i}", detail={"i": i})
        for i in range(n)
    ]


def tamper(*statements: tuple[str, list]) -> None:
    """Run raw SQL with the append-only triggers dropped (SQLite) or disabled (PostgreSQL)."""
    with guards_suspended(connection), connection.cursor() as cur:
        for sql, params in statements:
            cur.execute(sql, params)
