"""Writes to the organisation tree. Structural writes are serialised and keep their history."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError

from .choices import OrgKind
from .models import BUREAU_KINDS, PATH_STEP, IssuingSeal, Organization, OrgMove

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
        raise ApplicationError(_("上级机构已停用"), field="parent")


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
        raise ApplicationError(_("不能把机构移动到它自己或它的下级之下"), field="parent")
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
        raise ApplicationError(_("上级机构已停用，不能单独启用"))
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


def _require(user: Any, org: Organization, action: str) -> None:
    from django.core.exceptions import PermissionDenied

    from .scoping import is_in_scope

    if not is_in_scope(user, org, action):
        raise PermissionDenied


@transaction.atomic
def org_node_create(
    *,
    parent: Organization,
    kind: str,
    name: str,
    by: Any,
    request: Any = None,
    fields: dict[str, Any] | None = None,
    enterprise: dict[str, Any] | None = None,
    outlet: dict[str, Any] | None = None,
    mass_org: dict[str, Any] | None = None,
) -> Organization:
    """Create a node under ``parent`` (ORG_MANAGE on the parent) together with its profile row."""
    from wenming.accounts.roles import Action

    from .divisions import division, is_county_of
    from .models import Enterprise, MassOrganisation, Outlet

    _require(by, parent, Action.ORG_MANAGE)
    fields = dict(fields or {})
    if kind == OrgKind.CITY_BUREAU:
        d = division(fields.get("code", ""))
        if d is None or d.level != "city":
            raise ApplicationError(_("市局代码应为辽宁省地市的 GB/T 2260 区划代码"), field="code")
    if kind == OrgKind.OUTLET:
        if outlet is None:
            raise ApplicationError(_("请填写网点信息"))
        if not is_county_of(outlet.get("county_code", ""), parent.city_code):
            raise ApplicationError(_("所选区县不属于该网点所在地市"), field="county_code")
    if kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH) and enterprise is None:
        raise ApplicationError(_("请填写企业信息"))
    org = org_create(parent=parent, kind=kind, name=name, by=by, request=request, **fields)
    if kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH):
        Enterprise.objects.create(organization=org, **enterprise)
    elif kind == OrgKind.OUTLET:
        Outlet.objects.create(organization=org, **outlet)
    elif kind == OrgKind.MASS_ORGANISATION and mass_org:
        MassOrganisation.objects.create(organization=org, **mass_org)
    return org


@transaction.atomic
def org_relocate(
    *, org: Organization, new_parent: Organization, by: Any, reason: str, request: Any = None
) -> Organization:
    """Move a node: the user manages its current parent and the new one (a node cannot move itself away)."""
    from wenming.accounts.roles import Action

    if org.parent is None:
        raise ApplicationError(_("顶层机构不能移动"))
    _require(by, org.parent, Action.ORG_MANAGE)
    _require(by, new_parent, Action.ORG_MANAGE)
    if new_parent.pk == org.parent_id:
        raise ApplicationError(_("新的上级与原上级相同"), field="new_parent")
    return org_move(org=org, new_parent=new_parent, by=by, reason=reason, request=request)


@transaction.atomic
def org_toggle_active(*, org: Organization, active: bool, by: Any, reason: str, request: Any = None) -> int:
    """Deactivate or reactivate a node and its subtree (ORG_MANAGE on its parent; the root stays)."""
    from wenming.accounts.roles import Action

    if org.parent is None:
        raise ApplicationError(_("顶层机构不能停用"))
    _require(by, org.parent, Action.ORG_MANAGE)
    if org.is_active == active:
        raise ApplicationError("该机构已启用" if active else "该机构已停用")
    return org_set_active(org=org, active=active, by=by, reason=reason, request=request)


# --- the issuing bureau and its seal ------------------------------------------------------------
def issuing_bureau(org: Organization) -> Organization | None:
    """The bureau (市局 or 省局) that issues documents for ``org``: itself, or its nearest bureau above.

    An outlet, branch or enterprise resolves to the city bureau that supervises it (or the provincial
    bureau for an enterprise hung directly under it); a 科室 to its city bureau, a 处室 to the province.
    """
    if org.kind in BUREAU_KINDS:
        return org
    return org.ancestors().filter(kind__in=BUREAU_KINDS).order_by("-depth").first()


def seal_of(bureau: Organization | None) -> IssuingSeal | None:
    if bureau is None:
        return None
    return IssuingSeal.objects.filter(organization=bureau).first()


@transaction.atomic
def seal_upload(
    *, organization: Organization, upload: Any, by: Any, specimen: bool = False, request: Any = None
) -> IssuingSeal:
    """Store ``upload`` (through the one upload path) as the bureau's seal, replacing the previous one.

    Earlier files are kept: each certificate names the seal file it was issued with.
    """
    from wenming.accounts.roles import Action
    from wenming.core import uploads

    if organization.kind not in BUREAU_KINDS:
        raise ApplicationError(_("只有省局、市局可以设置出具印章"), field="image")
    _require(by, organization, Action.ORG_MANAGE)
    try:
        clean = uploads.process_image(upload, max_bytes=2 * uploads.MB)
    except uploads.UploadRejected as exc:
        exc.field = "image"
        raise
    name = uploads.save(clean, prefix="seals")
    seal, created = IssuingSeal.objects.update_or_create(
        organization=organization,
        defaults={"image": name, "original_name": clean.original_name, "is_specimen": specimen, "uploaded_by": by},
    )
    audit_record(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        request=request,
        user=by,
        obj=seal,
        object_repr=str(seal),
        detail={"kind": "seal", "specimen": specimen, "sha256": clean.sha256[:16]},
    )
    return seal


@transaction.atomic
def seal_remove(*, organization: Organization, by: Any, request: Any = None) -> None:
    from wenming.accounts.roles import Action

    _require(by, organization, Action.ORG_MANAGE)
    seal = seal_of(organization)
    if seal is None:
        return
    audit_record(AuditAction.DELETE, request=request, user=by, obj=seal, object_repr=str(seal))
    seal.delete()
