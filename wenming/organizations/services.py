"""Writes to the organisation tree, and the administration of users on it.

Structural writes are serialised and keep their history. User administration (accounts, role grants,
the 三员, locks, forced logout) is here and not in ``accounts`` because every decision reads the scope of
the organisation tree; ``accounts`` keeps identity only (ADR 0007).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.accounts.models import AdminDuty, LoginThrottle, User, UserSession
from wenming.accounts.roles import ADMIN_DUTIES, Action, Role
from wenming.accounts.services import BUSINESS_ROLES, kill_sessions, password_set, refuse, session_store, throttle_key
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import uploads
from wenming.core.errors import ApplicationError

from .choices import OrgKind
from .divisions import division, is_county_of
from .models import (
    BUREAU_KINDS,
    PATH_STEP,
    Enterprise,
    IssuingSeal,
    MassOrganisation,
    Organization,
    OrgMove,
    Outlet,
    RoleAssignment,
)
from .scoping import clear_scope_cache, has_action_anywhere, is_in_scope

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
        audit_record(AuditAction.CREATE, user=by, obj=org)
    return org


@transaction.atomic
def org_move(*, org: Organization, new_parent: Organization, by: Any, reason: str = "") -> Organization:
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
        user=by,
        obj=org,
        detail={"from": old_parent.name if old_parent else "", "to": new_parent.name, "reason": reason},
    )
    return org


@transaction.atomic
def org_set_active(*, org: Organization, active: bool, by: Any, reason: str = "") -> int:
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

    if not is_in_scope(user, org, action):
        raise PermissionDenied


@transaction.atomic
def org_node_create(
    *,
    parent: Organization,
    kind: str,
    name: str,
    by: Any,
    fields: dict[str, Any] | None = None,
    enterprise: dict[str, Any] | None = None,
    outlet: dict[str, Any] | None = None,
    mass_org: dict[str, Any] | None = None,
) -> Organization:
    """Create a node under ``parent`` (ORG_MANAGE on the parent) together with its profile row."""

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
        raise ApplicationError(gettext_lazy("请填写企业信息"))
    org = org_create(parent=parent, kind=kind, name=name, by=by, **fields)
    if kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH):
        Enterprise.objects.create(organization=org, **enterprise)
    elif kind == OrgKind.OUTLET:
        Outlet.objects.create(organization=org, **outlet)
    elif kind == OrgKind.MASS_ORGANISATION and mass_org:
        MassOrganisation.objects.create(organization=org, **mass_org)
    return org


@transaction.atomic
def org_relocate(*, org: Organization, new_parent: Organization, by: Any, reason: str) -> Organization:
    """Move a node: the user manages its current parent and the new one (a node cannot move itself away)."""

    if org.parent is None:
        raise ApplicationError(_("顶层机构不能移动"))
    _require(by, org.parent, Action.ORG_MANAGE)
    _require(by, new_parent, Action.ORG_MANAGE)
    if new_parent.pk == org.parent_id:
        raise ApplicationError(gettext_lazy("新的上级与原上级相同"), field="new_parent")
    return org_move(org=org, new_parent=new_parent, by=by, reason=reason)


@transaction.atomic
def org_toggle_active(*, org: Organization, active: bool, by: Any, reason: str) -> int:
    """Deactivate or reactivate a node and its subtree (ORG_MANAGE on its parent; the root stays)."""

    if org.parent is None:
        raise ApplicationError(_("顶层机构不能停用"))
    _require(by, org.parent, Action.ORG_MANAGE)
    if org.is_active == active:
        raise ApplicationError("该机构已启用" if active else "该机构已停用")
    return org_set_active(org=org, active=active, by=by, reason=reason)


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
def seal_upload(*, organization: Organization, upload: Any, by: Any, specimen: bool = False) -> IssuingSeal:
    """Store ``upload`` (through the one upload path) as the bureau's seal, replacing the previous one.

    Earlier files are kept: each certificate names the seal file it was issued with.
    """

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
        user=by,
        obj=seal,
        object_repr=str(seal),
        detail={"kind": "seal", "specimen": specimen, "sha256": clean.sha256[:16]},
    )
    return seal


@transaction.atomic
def seal_remove(*, organization: Organization, by: Any) -> None:
    _require(by, organization, Action.ORG_MANAGE)
    seal = seal_of(organization)
    if seal is None:
        return
    audit_record(AuditAction.DELETE, user=by, obj=seal, object_repr=str(seal))
    seal.delete()


# ---------------------------------------------------------------------------------------------
# Sessions and locks (security admin)
# ---------------------------------------------------------------------------------------------


def session_kill(*, session: UserSession, by: User, request: Any = None) -> None:
    """Force a session to end (security admin)."""
    if not has_action_anywhere(by, Action.ROLE_MANAGE):
        refuse(AuditAction.SESSION_KILLED, "无权强制下线", request=request, by=by, exc=PermissionDenied)
    with transaction.atomic():
        target = session.user
        session_store()(session_key=session.session_key).delete()
        session.delete()
        audit_record(
            AuditAction.SESSION_KILLED,
            request=request,
            user=by,
            obj=target,
            detail={"ip": session.ip or "", "since": session.created_at.isoformat()},
        )


def account_unlock(*, username: str, by: User, request: Any = None) -> int:
    """Lift a lockout (password or second-factor) for a username."""
    if not has_action_anywhere(by, Action.ROLE_MANAGE):
        refuse(AuditAction.UNLOCK, "无权解除锁定", request=request, by=by, exc=PermissionDenied)
    key = throttle_key(username)
    with transaction.atomic():
        n = LoginThrottle.objects.filter(username=key).update(failures=0, window_started_at=None, locked_until=None)
        User.objects.filter(username__iexact=key).update(otp_failures=0)
        audit_record(
            AuditAction.UNLOCK,
            request=request,
            user=by,
            object_type="accounts.LoginThrottle",
            object_repr=key,
            detail={"username": key},
        )
    return n


def otp_reset(*, user: User, by: User, request: Any = None) -> int:
    """Remove a user's TOTP devices (lost phone): the next login enrols again. Security admin only."""
    _require_anywhere(by, Action.ROLE_MANAGE, AuditAction.OTP, request, "无权重置动态口令")
    with transaction.atomic():
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        killed = kill_sessions(user)
        audit_record(
            AuditAction.OTP,
            request=request,
            user=by,
            obj=user,
            detail={"step": "reset", "devices": n, "sessions": killed},
        )
    return n


# ---------------------------------------------------------------------------------------------
# Accounts (system admin)
# ---------------------------------------------------------------------------------------------


def _require_anywhere(by: Any, action: str, audit_action: str, request: Any, message: str) -> None:
    if not has_action_anywhere(by, action):
        refuse(audit_action, message, request=request, by=by, exc=PermissionDenied)


def user_create(
    *,
    username: str,
    display_name: str,
    password: str,
    home_organization: Any = None,
    by: User,
    request: Any = None,
) -> User:
    """Create a staff account. The initial password passes the policy and must be changed at first login."""
    _require_anywhere(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权创建账号")
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(gettext_lazy("用户名已存在"), field="username")
    with transaction.atomic():
        user = User(username=username, display_name=display_name.strip(), home_organization=home_organization)
        user.must_change_password = True
        password_set(user=user, raw=password, by=by, request=request)
        audit_record(AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "create"})
    return user


def user_deactivate(*, user: User, by: User, request: Any = None) -> int:
    """Disable an account: every session of it ends at once. Returns the number of sessions ended."""
    _require_anywhere(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权停用账号")
    if user.pk == by.pk:
        refuse(AuditAction.USER_CHANGE, "不能停用自己的账号", request=request, by=by, obj=user)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        killed = kill_sessions(user)
        audit_record(
            AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "deactivate", "sessions": killed}
        )
    return killed


@transaction.atomic
def user_reactivate(*, user: User, by: User, request: Any = None) -> User:
    _require_anywhere(by, Action.USER_MANAGE, AuditAction.USER_CHANGE, request, "无权启用账号")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(AuditAction.USER_CHANGE, request=request, user=by, obj=user, detail={"op": "reactivate"})
    return user


def user_password_reset(*, user: User, raw: str, by: User, request: Any = None) -> User:
    """The system admin sets a temporary password; the user must change it at next login."""
    _require_anywhere(by, Action.USER_MANAGE, AuditAction.PASSWORD_CHANGE, request, "无权重置密码")
    with transaction.atomic():
        password_set(user=user, raw=raw, by=by, request=request)
        kill_sessions(user)
    return user


# ---------------------------------------------------------------------------------------------
# Roles and the 三员 (security admin)
# ---------------------------------------------------------------------------------------------


def role_grant(*, user: User, organization: Any, role: str, by: User, request: Any = None) -> Any:
    """Grant a business role on a node. Refused (and audited) for a 三员 or outside the granter's scope."""
    detail = {"role": role, "organization": organization.pk, "user": user.pk}
    if not is_in_scope(by, organization, Action.ROLE_MANAGE):
        refuse(
            AuditAction.ROLE_GRANT,
            "无权在此机构授予角色",
            request=request,
            by=by,
            obj=user,
            detail=detail,
            exc=PermissionDenied,
        )
    if role not in BUSINESS_ROLES:
        refuse(AuditAction.ROLE_GRANT, "三员职责不能作为业务角色授予", request=request, by=by, obj=user, detail=detail)
    refusal = None
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=user.pk)
        if AdminDuty.objects.filter(user=target).exists():
            refusal = "三员账号不能同时拥有业务角色"
        elif not target.is_active:
            refusal = "账号已停用，不能授予角色"
        elif RoleAssignment.objects.filter(user=target, organization=organization, role=role).exists():
            refusal = "此用户在此机构已拥有此角色"
        else:
            ra = RoleAssignment.objects.create(user=target, organization=organization, role=role, granted_by=by)
            audit_record(AuditAction.ROLE_GRANT, request=request, user=by, obj=user, detail=detail)
            clear_scope_cache(user)
            return ra
    refuse(AuditAction.ROLE_GRANT, refusal, request=request, by=by, obj=user, detail=detail)


def role_revoke(*, assignment: Any, by: User, request: Any = None) -> None:
    detail = {"role": assignment.role, "organization": assignment.organization_id, "user": assignment.user_id}
    if not is_in_scope(by, assignment.organization, Action.ROLE_MANAGE):
        refuse(
            AuditAction.ROLE_REVOKE,
            "无权撤销此角色",
            request=request,
            by=by,
            obj=assignment.user,
            detail=detail,
            exc=PermissionDenied,
        )
    with transaction.atomic():
        user = assignment.user
        assignment.delete()
        audit_record(AuditAction.ROLE_REVOKE, request=request, user=by, obj=user, detail=detail)
        clear_scope_cache(user)


def admin_duty_grant(*, user: User, duty: str, by: User, request: Any = None) -> AdminDuty:
    """Make ``user`` one of the 三员. One duty per account (DB-enforced) and no business roles beside it."""
    detail = {"duty": duty, "user": user.pk}
    _require_anywhere(by, Action.ROLE_MANAGE, AuditAction.ROLE_GRANT, request, "无权授予三员职责")
    if duty not in ADMIN_DUTIES:
        refuse(AuditAction.ROLE_GRANT, "无效的三员职责", request=request, by=by, obj=user, detail=detail)
    refusal = None
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=user.pk)
        held = AdminDuty.objects.filter(user=target).values_list("duty", flat=True).first()
        if held:
            refusal = f"此账号已担任{Role(held).label}，一个账号不能兼任两种三员职责"
        elif RoleAssignment.objects.filter(user=target).exists():
            refusal = "此账号拥有业务角色，不能再担任三员职责"
        elif not target.is_active:
            refusal = "账号已停用，不能授予职责"
        else:
            try:
                with transaction.atomic():
                    obj = AdminDuty.objects.create(user=target, duty=duty, granted_by=by)
            except IntegrityError:
                refusal = "一个账号不能兼任两种三员职责"
            else:
                audit_record(AuditAction.ROLE_GRANT, request=request, user=by, obj=user, detail=detail)
                clear_scope_cache(user)
                return obj
    refuse(AuditAction.ROLE_GRANT, refusal, request=request, by=by, obj=user, detail=detail)


def admin_duty_revoke(*, duty: AdminDuty, by: User, request: Any = None) -> None:
    detail = {"duty": duty.duty, "user": duty.user_id}
    _require_anywhere(by, Action.ROLE_MANAGE, AuditAction.ROLE_REVOKE, request, "无权撤销三员职责")
    if duty.user_id == by.pk:
        refuse(AuditAction.ROLE_REVOKE, "不能撤销自己的三员职责", request=request, by=by, obj=duty.user, detail=detail)
    with transaction.atomic():
        user = duty.user
        duty.delete()
        audit_record(AuditAction.ROLE_REVOKE, request=request, user=by, obj=user, detail=detail)
        clear_scope_cache(user)
