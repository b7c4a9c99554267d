"""Test helpers: write a few events and tamper with them behind the triggers' back."""

from __future__ import annotations

from django.db import connection

from wenming.audit.guards import guards_suspended
from wenming.audit.models import AuditAction, AuditEvent
from wenming.audit.services import audit_record, seal_pending


def write_events(n: int, *, seal: bool = True) -> list[AuditEvent]:
    """``n`` events, sealed into the chain (as the periodic job would) unless ``seal=False``."""
    events = [
        audit_record(AuditAction.UPDATE, object_type="test.Thing", object_id=i, object_repr=f"对象{i}", detail={"i": i})
        for i in range(n)
    ]
    if not seal:
        return events
    seal_pending()
    by_id = AuditEvent.objects.in_bulk([e.id for e in events])
    return [by_id[e.id] for e in events]


def tamper(*statements: tuple[str, list]) -> None:
    """Run raw SQL with the append-only triggers dropped (SQLite) or disabled (PostgreSQL)."""
    with guards_suspended(connection), connection.cursor() as cur:
        for sql, params in statements:
            cur.execute(sql, params)
