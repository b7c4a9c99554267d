"""Writing and verifying the audit chain: h_i = HMAC-SM3(k, h_{i-1} ‖ canonical(row_i)).

``audit_record`` runs inside the caller's transaction: if the audit write fails, the audited action
fails too (it is rolled back with it). It is a plain INSERT of the row and its own MAC — writers share
no lock and no row. ``seal_pending`` (a periodic job, and the first step of every verification) then
chains the committed rows in one order (``seq``) and moves the single ``AuditHead`` row (last id,
count, last hash, MAC), which is what makes a deleted or truncated tail detectable. ``export_anchor``
copies the head to a sink outside the database every few minutes, which is what makes a *replayed*
head detectable. See docs/adr/0004-audit-chain.md.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone, translation

from wenming.core import context
from wenming.core.crypto import audit_key, hmac_sm3
from wenming.core.pii import mask_name
from wenming.core.pii_inventory import PERSON_NAME_MODELS

from .guards import CONTENT_COLUMNS, missing_guards
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_PK = 1
_LOCK_ID = 0x57454E4D  # "WENM": taken by the sealer only
SEAL_BATCH = 2000
_TZ = ZoneInfo("Asia/Shanghai")
# the content of a row as written (the id is the database's, the mac is computed over these)
_FIELDS = tuple(c for c in CONTENT_COLUMNS if c not in ("id", "mac"))


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


def row_mac(row: dict[str, Any]) -> str:
    """HMAC-SM3 over one row's content alone, written with the row (covers it until it is sealed)."""
    return hmac_sm3(audit_key(), b"row|" + _canonical(row))


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
    """Append one event. Never put personal data (ID numbers, phones) into ``detail``.

    A plain INSERT (no lock, no shared row): the row carries its own MAC and is chained later by
    ``seal_pending``. It runs in the caller's transaction, so it commits or rolls back with the action.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is None and request is None and (ctx := context.current()) is not None:
        user = ctx.actor  # the signed-in user of the request being served, if any
    actor = user if (user is not None and getattr(user, "is_authenticated", False)) else None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        if not object_repr:
            with translation.override(settings.LANGUAGE_CODE):  # the log is kept in Chinese whoever acts
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
        # No savepoint of its own (one round trip less per write): a failure here marks the caller's
        # transaction for rollback, so the audited action cannot commit without its row.
        with transaction.atomic(savepoint=False):
            # Normalise the row exactly as it will be read back (JSON round trip) before the MAC.
            row["detail"] = json.loads(json.dumps(row["detail"], ensure_ascii=False, default=str))
            row["mac"] = row_mac(row)
            return _insert(row)
    except Exception as exc:  # any failure must stop the audited action
        raise AuditWriteError("审计日志写入失败，操作已取消") from exc


_INSERT_FIELDS = (*_FIELDS, "mac")


def _insert(row: dict[str, Any]) -> AuditEvent:
    """One INSERT … RETURNING id, values prepared by the model's own fields (the hot path of every
    audited action: a third of ``Model.objects.create``'s CPU time)."""
    conn = connections[AuditEvent.objects.db]
    meta = AuditEvent._meta
    fields = [meta.get_field("actor" if name == "actor_id" else name) for name in _INSERT_FIELDS]
    values = [f.get_db_prep_save(row[f.attname], conn) for f in fields]
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO {conn.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks}) RETURNING id", values
        )
        (pk,) = cur.fetchone()
    event = AuditEvent(id=pk, **row)
    event._state.adding, event._state.db = False, conn.alias
    return event


def _row(ev: AuditEvent) -> dict[str, Any]:
    return {k: getattr(ev, k) for k in _FIELDS}


def seal_pending(*, using: str = DEFAULT_DB_ALIAS, batch: int = SEAL_BATCH) -> int:
    """Chain every committed, unsealed row onto the head, in id order; returns how many were sealed.

    Runs as the periodic job ``audit.seal`` and at the start of every verification. Only sealers
    serialise (advisory lock + the head row); writers never wait for it. The chain order is the
    order of sealing (``seq``), not the insert id: a row whose transaction commits late (it took its
    id early) is simply not visible yet and joins a later batch with a higher ``seq``. Nothing is ever
    inserted below the sealed frontier, so no watermark is needed.
    """
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            conn = connections[using]
            if conn.vendor == "postgresql":
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
            head = AuditHead.objects.using(using).select_for_update().filter(pk=HEAD_PK).first()
            if head is None:
                if AuditEvent.objects.using(using).filter(seq__isnull=False).exists():
                    raise AuditWriteError("审计锚点缺失：日志已被篡改，须由审计管理员处置")
                head = AuditHead(pk=HEAD_PK, last_id=0, event_count=0, hash=GENESIS)
            rows = list(AuditEvent.objects.using(using).filter(seq__isnull=True).order_by("id")[:batch])
            if not rows:
                return sealed
            prev, n = head.hash, head.event_count
            for ev in rows:
                n += 1
                # The chain continues from the anchor, so a truncated tail stays visible as a broken link.
                ev.seq, ev.prev_hash = n, prev
                ev.hash = prev = chain_hash(prev, _row(ev))
            AuditEvent.objects.using(using).bulk_update(rows, ["seq", "prev_hash", "hash"], batch_size=500)
            head.last_id, head.event_count, head.hash = rows[-1].id, n, prev
            head.mac, head.updated_at = head_mac(head.last_id, n, prev), timezone.now()
            head.save(using=using)
            sealed += len(rows)
        if len(rows) < batch:
            return sealed


def head_mac(last_id: int, event_count: int, hash_: str) -> str:
    """HMAC-SM3 over the anchor, so that a head rewritten without the key is detected."""
    return hmac_sm3(audit_key(), f"head|{last_id}|{event_count}|{hash_}".encode())


def current_head(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any] | None:
    """The anchor as a signed record kept outside the database (``export_anchor``, ``manage.py audit_head``)."""
    head = AuditHead.objects.using(using).filter(pk=HEAD_PK).first()
    if head is None:
        return None
    return {
        "at": timezone.now().astimezone(_TZ).isoformat(timespec="seconds"),
        "last_id": head.last_id,
        "count": head.event_count,
        "hash": head.hash,
        "mac": head_mac(head.last_id, head.event_count, head.hash),
    }


# --- anchors outside the database -------------------------------------------------------------------
ANCHOR_LOG = logging.getLogger("wenming.audit.anchor")


def anchor_dir() -> Path | None:
    """The configured anchor directory (``WENMING_AUDIT_ANCHOR_DIR``), or None when anchoring is off."""
    value = getattr(settings, "WENMING_AUDIT_ANCHOR_DIR", "")
    return Path(value) if value else None


def export_anchor() -> dict[str, Any] | None:
    """Seal, then append the signed head to this month's anchor file and to the log (periodic job).

    The line goes to ``<anchor dir>/audit-anchors-YYYYMM.jsonl`` (append, fsync) and, as one INFO
    record of the ``wenming.audit.anchor`` logger, to wherever the production log is shipped.
    """
    seal_pending()
    head = current_head()
    if head is None:  # empty log: nothing to anchor yet
        return None
    line = json.dumps(head, ensure_ascii=False, sort_keys=True)
    folder = anchor_dir()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"audit-anchors-{timezone.now().astimezone(_TZ):%Y%m}.jsonl"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    ANCHOR_LOG.info("audit anchor %s", line)
    return head


def newest_anchor(folder: Path) -> dict[str, Any] | None:
    """The last well-formed line of the newest anchor file (None when there is none)."""
    files = sorted(folder.glob("audit-anchors-*.jsonl")) if folder.is_dir() else []
    for path in reversed(files):
        for line in reversed(path.read_text(encoding="utf-8").splitlines()):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict):
                return data
    return None


def anchor_problems(*, now: datetime | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The newest anchor to verify against, and what is wrong with the anchoring itself.

    Fails when the newest anchor is older than ``WENMING_AUDIT_ANCHOR_MAX_AGE`` minutes (the job has
    stopped, or someone holds the anchors back), or when sealed rows older than that have no anchor.
    """
    now = now or timezone.now()
    folder = anchor_dir()
    max_age = timedelta(minutes=int(getattr(settings, "WENMING_AUDIT_ANCHOR_MAX_AGE", 30)))
    if folder is None:
        if getattr(settings, "WENMING_PROFILE", "") == "production":
            return [], ["未配置离线锚点目录（WENMING_AUDIT_ANCHOR_DIR）：无法发现被截断后重放的日志"]
        return [], []
    anchor = newest_anchor(folder)
    if anchor is None:
        oldest = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("at", flat=True).first()
        if oldest is not None and now - oldest > max_age:
            return [], [f"尚无离线锚点：审计记录已封存超过 {int(max_age.total_seconds() // 60)} 分钟，锚点任务未运行"]
        return [], []
    try:
        at = datetime.fromisoformat(str(anchor["at"]))
    except (KeyError, ValueError):
        return [anchor], ["最新离线锚点缺少时间或时间格式不正确"]
    if now - at > max_age:
        minutes = int((now - at).total_seconds() // 60)
        return [anchor], [
            f"最新离线锚点已 {minutes} 分钟未更新（上限 {int(max_age.total_seconds() // 60)} 分钟）："
            "锚点任务未运行，或锚点被截留"
        ]
    return [anchor], []


# --- verification -----------------------------------------------------------------------------------
@dataclass
class ChainProblem:
    event_id: int | None
    problem: str


@dataclass
class ChainReport:
    checked: int
    problems: list[ChainProblem]
    head: AuditHead | None
    unsealed: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, anchors: Iterable[dict[str, Any]] = (), using: str = DEFAULT_DB_ALIAS) -> list[ChainProblem]:
    """Walk the chain in seal order; report edits, deletions, insertions, reorderings and a cut tail."""
    return verify_report(anchors=anchors, using=using).problems


def _intact(ev: AuditEvent) -> bool:
    row = _row(ev)
    if ev.mac != row_mac(row):
        return False
    return ev.seq is None or chain_hash(ev.prev_hash or "", row) == ev.hash


def event_intact(ev: AuditEvent) -> bool:
    """Whether one row's content still matches its MAC (and, once sealed, its chain hash)."""
    return _intact(ev)


def verify_report(*, anchors: Iterable[dict[str, Any]] = (), using: str = DEFAULT_DB_ALIAS) -> ChainReport:
    """Full verification: row MACs and hashes, links, ``seq`` without gaps, the MAC'd head, and heads
    kept outside the database (``anchors``, matched by their count). Read-only: call ``seal_pending``
    first to include the newest rows in the chain (``manage.py verify_audit`` does).

    Reads without blocking writers or the sealer: rows sealed while the walk runs are picked up by
    re-reading the head until it no longer points past the last row seen.
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
        wanted[count] = {"last_id": last_id, "hash": hash_}
    events = AuditEvent.objects.using(using)
    prev, seen, last_id, last_seq = GENESIS, 0, 0, 0
    head: AuditHead | None = None
    for _ in range(5):
        for ev in events.filter(seq__gt=last_seq).order_by("seq").iterator(chunk_size=2000):
            seen += 1
            if ev.prev_hash != prev:
                problems.append(ChainProblem(ev.id, "链接断开：前面的记录被删除、插入或调换了顺序"))
            if ev.seq != seen:
                problems.append(ChainProblem(ev.id, "链序号不连续：前面的记录被删除或插入"))
            if not _intact(ev):
                problems.append(ChainProblem(ev.id, "内容被篡改：哈希不符"))
            anchor = wanted.pop(seen, None)
            if anchor is not None and anchor["hash"] != ev.hash:
                problems.append(ChainProblem(ev.id, "与离线留存的锚点不符：此前的记录被改动、删除或插入"))
            prev, last_id, last_seq = ev.hash, ev.id, ev.seq
        head = AuditHead.objects.using(using).filter(pk=HEAD_PK).first()
        if head is None or head.event_count <= seen:
            break
    for count in sorted(wanted):
        problems.append(ChainProblem(wanted[count]["last_id"], "离线留存的锚点所指记录已不存在：日志被截断或删除"))
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
    # Rows not sealed yet: each must still match the MAC it was written with.
    unsealed = 0
    for ev in events.filter(seq__isnull=True).order_by("id").iterator(chunk_size=2000):
        unsealed += 1
        if not _intact(ev) or ev.hash is not None or ev.prev_hash is not None:
            problems.append(ChainProblem(ev.id, "内容被篡改：哈希不符"))
    return ChainReport(checked=seen + unsealed, problems=problems, head=head, unsealed=unsealed)


def verify_integrity(using: str) -> tuple[int, list[str]]:
    """The chain and its triggers in database ``using`` (the restore drill's integrity check)."""
    report = verify_report(using=using)
    problems = [f"{f'记录 #{p.event_id}：' if p.event_id is not None else ''}{p.problem}" for p in report.problems]
    problems += [f"防篡改触发器未恢复：{name}" for name in missing_guards(connections[using])]
    return report.checked, problems
