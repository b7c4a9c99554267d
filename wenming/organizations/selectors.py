"""Reads of the organisation tree for a user: every query starts from ``visible_to(user, action)``."""

from __future__ import annotations

import hashlib
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from wenming.accounts.models import LoginRecord, User, UserSession
from wenming.accounts.roles import Action
from wenming.core.forms import parse_id

from .choices import OrgKind
from .models import PATH_STEP, Brand, Enterprise, Organization, OrgMove, Outlet, RoleAssignment
from .scoping import is_in_scope, scope_roots
from .services import ALLOWED_PARENTS

SEARCH_LIMIT = 50
SCOPE_CITIES_TTL = 300


def org_get(*, user: Any, pk: int, action: str = Action.VIEW) -> Organization:
    """The node if it is in the user's scope for ``action``; otherwise 404 (a missing row looks the same)."""
    return get_object_or_404(Organization.objects.visible_to(user, action).select_related("parent"), pk=pk)


def _with_child_count(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    return qs.annotate(child_count=Count("children"))


def org_tree_roots(*, user: Any) -> list[Organization]:
    """The highest nodes the user may see, each with its children loaded (the first two levels)."""
    roots = list(_with_child_count(Organization.objects.filter(path__in=scope_roots(user, Action.VIEW))))
    children: dict[int, list[Organization]] = {}
    for child in _with_child_count(Organization.objects.filter(parent__in=[r.pk for r in roots])):
        children.setdefault(child.parent_id, []).append(child)
    for r in roots:
        r.loaded_children = children.get(r.pk, [])
    return roots


def org_children(*, user: Any, org: Organization) -> QuerySet[Organization]:
    return _with_child_count(Organization.objects.visible_to(user).filter(parent=org))


def org_search(*, user: Any, q: str) -> list[Organization]:
    """Nodes whose name, short name or code match, each with ``trail``: its ancestors inside the scope."""
    q = (q or "").strip()
    if not q:
        return []
    matches = list(
        Organization.objects.visible_to(user)
        .filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code=q))
        .order_by("path")[:SEARCH_LIMIT]
    )
    roots = scope_roots(user, Action.VIEW)
    prefixes = {m.path[:i] for m in matches for i in range(9, len(m.path), 9)}
    prefixes = {p for p in prefixes if any(p.startswith(r) for r in roots)}
    names = dict(Organization.objects.filter(path__in=prefixes).values_list("path", "name"))
    for m in matches:
        m.trail = [names[p] for p in sorted(names) if m.path.startswith(p) and p != m.path]
    return matches


def org_detail(*, user: Any, org: Organization) -> dict[str, Any]:
    """Everything the node page shows, each part scoped; role grants only to those who manage the node."""
    Courier = apps.get_model("people", "Courier")
    subtree = Organization.objects.filter(path__startswith=org.path).exclude(pk=org.pk)
    by_kind = dict(subtree.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    direct = dict(org.children.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    counts = [
        {"kind": label, "direct": direct.get(value, 0), "all": by_kind.get(value, 0)}
        for value, label in OrgKind.choices
        if by_kind.get(value)
    ]
    may_see_roles = is_in_scope(user, org, Action.ORG_MANAGE) or is_in_scope(user, org, Action.ROLE_MANAGE)
    roles = (
        list(RoleAssignment.objects.filter(organization=org).select_related("user").order_by("role", "user__username"))
        if may_see_roles
        else None
    )
    return {
        "counts": counts,
        "courier_count": Courier.objects.visible_to(user).in_subtree(org.path).count(),
        "ancestors": [a for a in org.ancestors() if is_in_scope(user, a)],
        "enterprise": Enterprise.objects.select_related("brand").filter(organization=org).first(),
        "outlet": Outlet.objects.select_related("brand").filter(organization=org).first(),
        "roles": roles,
        "history": list(OrgMove.objects.filter(organization=org).select_related("old_parent", "new_parent", "by")[:50]),
    }


def org_move_targets(*, user: Any, org: Organization) -> QuerySet[Organization]:
    """Active nodes the user manages that may hold ``org`` (never itself or its own subtree)."""
    kinds = [k for k in ALLOWED_PARENTS.get(org.kind, set()) if k]
    return (
        Organization.objects.visible_to(user, Action.ORG_MANAGE)
        .filter(is_active=True, kind__in=kinds)
        .exclude(path__startswith=org.path)
        .order_by("path")
    )


def outlet_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Outlet]:
    return (
        Outlet.objects.visible_to(user, action)
        .select_related("organization__parent", "brand")
        .order_by("organization__path")
    )


def _direct_outlet_count() -> Coalesce:
    """Outlets directly under the row's node: a correlated subquery on the (parent, kind) index.

    A per-row subquery instead of ``Count`` over a join: an aggregate forces GROUP BY over every visible
    enterprise (and the page count to wrap it), so ``LIMIT`` could not stop early on the path index.
    """
    outlets = (
        Organization.objects.filter(parent=OuterRef("organization"), kind=OrgKind.OUTLET)
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(outlets), 0)


def enterprise_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.visible_to(user, action)
        .select_related("organization__parent", "brand")
        .annotate(outlet_count=_direct_outlet_count())
        .order_by("organization__path")
    )


def scope_city_codes(*, user: Any) -> list[str] | None:
    """City codes the user's scope covers; ``None`` means the whole province (every city).

    Only shapes filter choices (never what rows are visible), so a short cache is fine.
    """
    roots = scope_roots(user, Action.VIEW)
    if not roots:
        return []
    if any(len(r) == PATH_STEP + 1 for r in roots):  # a grant on a root node covers every city
        return None
    key = "org:scope-cities:" + hashlib.sha256("|".join(roots).encode()).hexdigest()[:32]
    codes = cache.get(key)
    if codes is None:
        codes = sorted(
            {c for c in Organization.objects.filter(path__in=roots).values_list("city_code", flat=True) if c}
        )
        cache.set(key, codes, SCOPE_CITIES_TTL)
    return codes


BRAND_CHOICES_KEY = "org:brand-choices:v1"


def brand_choices() -> list[tuple[str, str]]:
    """(id, name) of every brand, cached; ``organizations.signals`` clears it when brands change."""
    choices = cache.get(BRAND_CHOICES_KEY)
    if choices is None:
        choices = [
            (str(pk), name) for pk, name in Brand.objects.order_by("sort_order", "name").values_list("pk", "name")
        ]
        cache.set(BRAND_CHOICES_KEY, choices, 3600)
    return choices


def seal_image_data_uri(name: str) -> str:
    """A stored seal image as a PNG data URI with its white paper made transparent ("" without one).

    Transparent, the red ink overlays the issuer's name on a certificate as a stamp does.
    """
    if not name:
        return ""
    import base64
    import io

    from django.core.files.storage import default_storage
    from PIL import Image, ImageChops, ImageOps

    try:
        with default_storage.open(name) as f, Image.open(io.BytesIO(f.read())) as im:
            rgb = im.convert("RGB")
    except (OSError, ValueError):
        return ""
    r, g, b = rgb.split()
    ink = ImageOps.invert(ImageChops.darker(ImageChops.darker(r, g), b))  # white → 0, red ink → opaque
    rgba = rgb.copy()
    rgba.putalpha(ink)
    out = io.BytesIO()
    rgba.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------------------------
# Users, sessions and login records in the viewer's scope (user administration)
# ---------------------------------------------------------------------------------------------

ORG_OPTION_LIMIT = 300


def _root_paths() -> set[str]:
    return set(Organization.objects.filter(parent__isnull=True).values_list("path", flat=True))


def user_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[User]:
    """Accounts the viewer may manage: all of them for a grant on the root, else those whose unit is in scope."""
    roots: list[str] = sorted({r for a in actions for r in scope_roots(viewer, a)})
    qs = User.objects.select_related("home_organization", "duty")
    if not roots:
        return qs.none()
    if _root_paths() & set(roots):
        return qs
    return qs.filter(reduce(or_, (Q(home_organization__path__startswith=r) for r in roots)))


def session_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[UserSession]:
    users = user_list(viewer=viewer, actions=actions)
    return UserSession.objects.filter(user__in=users.values("pk")).select_related("user")


def login_record_list(*, viewer: Any, actions: tuple[str, ...]) -> QuerySet[LoginRecord]:
    if not any(scope_roots(viewer, a) for a in actions):
        return LoginRecord.objects.none()
    return LoginRecord.objects.all()


def org_options(*, viewer: Any, action: str, q: str = "", selected: Any = None) -> list[tuple[Any, str]]:
    """Options for an organisation select: searched by name, else every node above outlet level (capped)."""
    qs = Organization.objects.visible_to(viewer, action).filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code=q))
    else:
        qs = qs.exclude(kind=OrgKind.OUTLET)
    rows = list(qs.order_by("path")[:ORG_OPTION_LIMIT])
    selected = parse_id(selected) if not isinstance(selected, Organization) else selected.pk
    if selected:
        sel = Organization.objects.visible_to(viewer, action).filter(pk=selected).first()
        if sel is not None and sel not in rows:
            rows.insert(0, sel)
    return [("", "请选择")] + [(o.pk, f"{'　' * o.depth}{o.name}（{o.get_kind_display()}）") for o in rows]
