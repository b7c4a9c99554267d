"""Writing and verifying the audit chain: h_i = HMAC-SM3(k, h_{i-1} ‖ canonical(row_i)).

``audit_record`` runs inside the caller's transaction: if the audit write fails, the audited action
fails too (it is rolled back with it). Writers are serialised (PostgreSQL advisory lock; SQLite's
IMMEDIATE transactions) so the chain has exactly one order. Every write also moves the single
``AuditHead`` row (last id, count, last hash, MAC), which is what makes a deleted or truncated tail
detectable. See docs/adr/0004-audit-chain.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from wenming.core import context
from wenming.core.crypto import audit_key, hmac_sm3
from wenming.core.pii import mask_name
from wenming.core.pii_inventory import PERSON_NAME_MODELS

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1
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
    """The client address of ``request``, or of the request being served (wenming.core.context).

    Only a trusted proxy's header is believed; a spoofed X-Forwarded-For changes nothing.
    """
    if request is None:
        return context.current_ip()[:45]
    return context.client_ip(request)[:45]


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
    if user is None and request is None and (ctx := context.current()) is not None:
        user = ctx.actor  # the signed-in user of the request being served, if any
    actor = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        if not object_repr:
            object_repr = str(obj)
            if obj._meta.label in PERSON_NAME_MODELS:  # data subjects: only the masked name is kept
                object_repr = mask_name(object_repr)
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
            head = AuditHead.objects.select_for_update().filter(pk=HEAD_PK).first()
            if head is None:
                if AuditEvent.objects.exists():
                    raise AuditWriteError("审计锚点缺失：日志已被篡改，须由审计管理员处置")
                head = AuditHead(pk=HEAD_PK, last_id=0, event_count=0, hash=GENESIS)
            # The chain continues from the anchor, so a truncated tail stays visible as a broken link.
            prev = head.hash
            # Normalise the row exactly as it will be read back (JSON round trip) before hashing.
            row["detail"] = json.loads(json.dumps(row["detail"], ensure_ascii=False, default=str))
            h = chain_hash(prev, row)
            event = AuditEvent.objects.create(
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
            head.last_id, head.event_count, head.hash = event.id, head.event_count + 1, h
            head.mac, head.updated_at = head_mac(head.last_id, head.event_count, h), row["at"]
            head.save()
            return event
    except Exception as exc:  # any failure must stop the audited action
        raise AuditWriteError("审计日志写入失败，操作已取消") from exc


def head_mac(last_id: int, event_count: int, hash_: str) -> str:
    """HMAC-SM3 over the anchor, so that a head rewritten without the key is detected."""
    return hmac_sm3(audit_key(), f"head|{last_id}|{event_count}|{hash_}".encode())


def current_head() -> dict[str, Any] | None:
    """The anchor as a signed record to copy off-host daily (``manage.py audit_head``)."""
    head = AuditHead.objects.filter(pk=HEAD_PK).first()
    if head is None:
        return None
    return {
        "at": timezone.now().astimezone(_TZ).isoformat(timespec="seconds"),
        "last_id": head.last_id,
        "count": head.event_count,
        "hash": head.hash,
        "mac": head_mac(head.last_id, head.event_count, head.hash),
    }


@dataclass
class ChainProblem:
    event_id: int | None
    problem: str


@dataclass
class ChainReport:
    checked: int
    problems: list[ChainProblem]
    head: AuditHead | None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, anchors: Iterable[dict[str, Any]] = ()) -> list[ChainProblem]:
    """Walk the chain in id order; report edits, deletions, insertions, reorderings and a cut tail."""
    return verify_report(anchors=anchors).problems


def verify_report(*, anchors: Iterable[dict[str, Any]] = ()) -> ChainReport:
    """Full verification: row hashes, links, the MAC'd head, and heads kept off-host (``anchors``).

    Reads without blocking writers: rows written while the walk runs are picked up by re-reading
    the head until it no longer points past the last row seen.
    """
    problems: list[ChainProblem] = []
    wanted: dict[int, dict[str, Any]] = {}
    for a in anchors:
        try:
            last_id, count, hash_ = int(a["last_id"]), int(a["count"]), str(a["hash"])
        except (KeyError, TypeError, ValueError):
            problems.append(ChainProblem(None, "离线锚点格式不正确"))
            continue
        if a.get("mac") != head_mac(last_id, count, hash_):
            problems.append(ChainProblem(last_id, "离线锚点的校验码不正确（锚点文件被改动或密钥不符）"))
            continue
        wanted[last_id] = {"count": count, "hash": hash_}
    prev, seen, last_id = GENESIS, 0, 0
    head: AuditHead | None = None
    for _ in range(5):
        for ev in AuditEvent.objects.filter(id__gt=last_id).order_by("id").iterator(chunk_size=2000):
            seen += 1
            row = {k: getattr(ev, k) for k in _FIELDS}
            if ev.prev_hash != prev:
                problems.append(ChainProblem(ev.id, "链接断开：前面的记录被删除、插入或调换了顺序"))
            if chain_hash(ev.prev_hash, row) != ev.hash:
                problems.append(ChainProblem(ev.id, "内容被篡改：哈希不符"))
            anchor = wanted.pop(ev.id, None)
            if anchor is not None and (anchor["hash"] != ev.hash or anchor["count"] != seen):
                problems.append(ChainProblem(ev.id, "与离线留存的锚点不符：此前的记录被改动、删除或插入"))
            prev, last_id = ev.hash, ev.id
        head = AuditHead.objects.filter(pk=HEAD_PK).first()
        if head is None or head.last_id <= last_id:
            break
    for a_id in sorted(wanted):
        problems.append(ChainProblem(a_id, "离线留存的锚点所指记录已不存在：日志被截断或删除"))
    if head is None:
        if seen:
            problems.append(ChainProblem(None, "审计锚点缺失：锚点记录被删除"))
    else:
        if head.mac != head_mac(head.last_id, head.event_count, head.hash):
            problems.append(ChainProblem(None, "审计锚点被改动：校验码不符"))
        if head.event_count != seen:
            problems.append(
                ChainProblem(
                    None, f"记录数不符：锚点记载 {head.event_count} 条，实际 {seen} 条（记录被删除、截断或插入）"
                )
            )
        if head.last_id != last_id or head.hash != prev:
            problems.append(ChainProblem(head.last_id, "日志末尾与锚点不符：末尾记录被删除、截断或追加"))
    return ChainReport(checked=seen, problems=problems, head=head)
