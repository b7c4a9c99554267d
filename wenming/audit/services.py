"""Writing and verifying the audit chain: h_i = HMAC-SM3(k, h_{i-1} ‖ canonical(row_i)).

``audit_record`` runs inside the caller's transaction: if the audit write fails, the audited action
fails too (it is rolled back with it). Writers are serialised (PostgreSQL advisory lock; SQLite's
IMMEDIATE transactions) so the chain has exactly one order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from wenming.core.crypto import audit_key, hmac_sm3

from .models import AuditEvent

GENESIS = "0" * 64
_LOCK_ID = 0x57454E4D  # "WENM"
_TZ = ZoneInfo("Asia/Shanghai")
_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
)


class AuditWriteError(RuntimeError):
    """The audit row could not be written; the audited action must not happen."""


def _canonical(row: dict[str, Any]) -> bytes:
    data = {k: row[k] for k in _FIELDS}
    at = data["at"]
    if isinstance(at, datetime):
        data["at"] = at.astimezone(_TZ).isoformat(timespec="microseconds")
    data["actor_id"] = str(data["actor_id"] or "")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def chain_hash(prev_hash: str, row: dict[str, Any]) -> str:
    return hmac_sm3(audit_key(), prev_hash.encode() + b"|" + _canonical(row))


def client_ip(request: Any) -> str:
    """The socket peer address. A spoofed X-Forwarded-For changes nothing (the proxy sets REMOTE_ADDR)."""
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def audit_record(
    action: str,
    *,
    request: Any = None,
    user: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Never put personal data (ID numbers, phones) into ``detail``."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    actor = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    row = {
        "at": timezone.now(),
        "actor_id": actor.pk if actor else None,
        "actor_username": (actor.get_username() if actor else (detail or {}).get("username", ""))[:150],
        "ip": client_ip(request),
        "action": action,
        "object_type": object_type[:100],
        "object_id": str(object_id)[:64],
        "object_repr": object_repr[:200],
        "outcome": outcome,
        "detail": detail or {},
    }
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
            last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            prev = last or GENESIS
            # Normalise the row exactly as it will be read back (JSON round trip) before hashing.
            row["detail"] = json.loads(json.dumps(row["detail"], ensure_ascii=False, default=str))
            h = chain_hash(prev, row)
            return AuditEvent.objects.create(
                at=row["at"],
                actor_id=row["actor_id"],
                actor_username=row["actor_username"],
                ip=row["ip"],
                action=action,
                object_type=row["object_type"],
                object_id=row["object_id"],
                object_repr=row["object_repr"],
                outcome=outcome,
                detail=row["detail"],
                prev_hash=prev,
                hash=h,
            )
    except Exception as exc:  # any failure must stop the audited action
        raise AuditWriteError("审计日志写入失败，操作已取消") from exc


@dataclass
class ChainProblem:
    event_id: int | None
    problem: str


def verify_chain() -> list[ChainProblem]:
    """Walk the chain in id order; report edits, deletions, insertions and reorderings."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    for ev in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        row = {k: getattr(ev, k) for k in _FIELDS}
        if ev.prev_hash != prev:
            problems.append(ChainProblem(ev.id, "链接断开：前一条记录被删除、插入或调换了顺序"))
        if chain_hash(ev.prev_hash, row) != ev.hash:
            problems.append(ChainProblem(ev.id, "内容被篡改：哈希不符"))
        prev = ev.hash
    return problems
