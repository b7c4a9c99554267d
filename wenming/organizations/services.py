"""Writes to the organisation tree. Structural writes are serialised and keep their history."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError

from .choices import OrgKind
from .models import PATH_STEP, Organization, OrgMove

_TREE_LOCK = 0x57454E54  # "WENT"

# Which kinds may hang under which (the tree is regulatory, domain.md §3.1).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.PROVINCIAL_BUREAU: {None},
    OrgKind.DIVISION: {OrgKind.PROVINCIAL_BUREAU},
    OrgKind.CITY_BUREAU: {OrgKind.PROVINCIAL_BUREAU},
    OrgKind.SECTION: {OrgKind.CITY_BUREAU},
    OrgKind.ENTERPRISE: {OrgKind.CITY_BUREAU, OrgKind.PROVINCIAL_BUREAU},
    OrgKind.BRANCH: {OrgKind.ENTERPRISE, OrgKind.BRANCH},
    OrgKind.OUTLET: {OrgKind.ENTERPRISE, OrgKind.BRANCH},
    OrgKind.MASS_ORGANISATION: {
        OrgKind.PROVINCIAL_BUREAU,
        OrgKind.CITY_BUREAU,
        OrgKind.ENTERPRISE,
        OrgKind.BRANCH,
    },
}


def lock_tree() -> None:
    """Serialise structural writes: advisory lock on PostgreSQL; SQLite IMMEDIATE already serialises."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_LOCK])


def step(pk: int) -> str:
    return f"{pk:0{PATH_STEP}d}."


def _check_parent(kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS.get(kind, set())
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ApplicationError(
            f"“{OrgKind(kind).label}”不能设在“{OrgKind(parent_kind).label if parent_kind else '顶层'}”之下",
            field="parent",
        )
    if parent is not None and not parent.is_active:
        raise ApplicationError("上级机构已停用", field="parent")


def _city_code_for(kind: str, code: str, parent: Organization | None) -> str:
    if kind == OrgKind.CITY_BUREAU:
        return code[:6]
    return parent.city_code if parent else ""


@transaction.atomic
def org_create(
    *,
    parent: Organization | None,
    kind: str,
    name: str,
    by: Any = None,
    request: Any = None,
    audit: bool = True,
    **fields: Any,
) -> Organization:
    """Create a node under ``parent``; its path is the parent's path plus its own zero-padded id."""
    lock_tree()
    if parent is not None:
        parent = Organization.objects.get(pk=parent.pk)
    _check_parent(kind, parent)
    org = Organization(
        parent=parent,
        kind=kind,
        name=name.strip(),
        path=f"tmp-{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
        city_code=_city_code_for(kind, fields.get("code", ""), parent),
        **fields,
    )
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + step(org.pk)
    Organization.objects.filter(pk=org.pk).update(path=org.path)
    if audit:
        audit_record(AuditAction.CREATE, request=request, user=by, obj=org)
    return org


@transaction.atomic
def org_move(
    *, org: Organization, new_parent: Organization, by: Any, reason: str = "", request: Any = None
) -> Organization:
    """Move a node and its subtree; descendants' paths and depths follow; history keeps the old place."""
    lock_tree()
    org = Organization.objects.get(pk=org.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ApplicationError("不能把机构移动到它自己或它的下级之下", field="parent")
    _check_parent(org.kind, new_parent)
    old_parent, old_path = org.parent, org.path
    new_path = new_parent.path + step(org.pk)
    delta = new_parent.depth + 1 - org.depth
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
        city_code=new_parent.city_code if org.kind != OrgKind.CITY_BUREAU else F("city_code"),
    )
    Organization.objects.filter(pk=org.pk).update(parent=new_parent)
    OrgMove.objects.create(
        organization=org,
        kind="move",
        old_parent=old_parent,
        new_parent=new_parent,
        old_path=old_path,
        new_path=new_path,
        reason=reason,
        by=by,
    )
    org.refresh_from_db()
    audit_record(
        AuditAction.ORG_MOVE,
        request=request,
        user=by,
        obj=org,
        detail={"from": old_parent.name if old_parent else "", "to": new_parent.name, "reason": reason},
    )
    return org


@transaction.atomic
def org_set_active(*, org: Organization, active: bool, by: Any, reason: str = "", request: Any = None) -> int:
    """Deactivate (or reactivate) a node and its whole subtree; returns the number of nodes changed."""
    lock_tree()
    org = Organization.objects.get(pk=org.pk)
    if active and org.parent is not None and not org.parent.is_active:
        raise ApplicationError("上级机构已停用，不能单独启用")
    n = Organization.objects.filter(path__startswith=org.path).update(is_active=active)
    OrgMove.objects.create(
        organization=org,
        kind="reactivate" if active else "deactivate",
        old_path=org.path,
        new_path=org.path,
        reason=reason,
        by=by,
    )
    audit_record(
        AuditAction.UPDATE,
        request=request,
        user=by,
        obj=org,
        detail={"change": "reactivate" if active else "deactivate", "nodes": n, "reason": reason},
    )
    return n


def rebuild_paths() -> int:
    """Recompute every path from ``parent`` (the source of truth). Returns nodes rewritten."""
    changed = 0
    with transaction.atomic():
        lock_tree()
        nodes = {o.pk: o for o in Organization.objects.all().only("id", "parent_id", "path", "depth")}
        memo: dict[int, tuple[str, int]] = {}

        def compute(pk: int) -> tuple[str, int]:
            if pk in memo:
                return memo[pk]
            node = nodes[pk]
            if node.parent_id is None:
                memo[pk] = (step(pk), 0)
            else:
                pp, pd = compute(node.parent_id)
                memo[pk] = (pp + step(pk), pd + 1)
            return memo[pk]

        for pk, node in nodes.items():
            path, depth = compute(pk)
            if node.path != path or node.depth != depth:
                Organization.objects.filter(pk=pk).update(path=path, depth=depth)
                changed += 1
    return changed
