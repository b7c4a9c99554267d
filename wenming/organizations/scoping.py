"""Data scope: the ONE mechanism that decides which rows a user may see or act on.

Every list, detail, search, export and API call starts from ``Model.objects.visible_to(user, action)``.
A role granted on a node covers its subtree (materialised path ``0000000001.0000000007.``). Deny by
default; an out-of-scope row is indistinguishable from a missing one (views answer 404).
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from wenming.accounts.roles import actions_for

if TYPE_CHECKING:
    from wenming.accounts.models import User

_CACHE_ATTR = "_wenming_scope_cache"


def _model(name: str) -> type[models.Model]:
    """The tree's models by name: ``organizations.models`` builds on this module, so it is not imported."""
    return apps.get_model("organizations", name)


_TOP_ATTR = "_wenming_top_paths"


def _grants(user: User) -> list[tuple[str, str]]:
    """(path, role) pairs for the user, cached on the user object for one request."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        Organization, RoleAssignment = _model("Organization"), _model("RoleAssignment")
        cache = list(
            RoleAssignment.objects.filter(user=user, organization__is_active=True).values_list(
                "organization__path", "role"
            )
        )
        duty = user.admin_duty if hasattr(user, "admin_duty") else None
        if duty:
            root = Organization.objects.filter(parent__isnull=True).order_by("path").values_list("path", flat=True)
            cache += [(p, duty) for p in root]
        setattr(user, _CACHE_ATTR, cache)
    return cache


def clear_scope_cache(user: Any) -> None:
    for attr in (_CACHE_ATTR, _TOP_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)
    if hasattr(user, "duty"):
        try:
            del user._state.fields_cache["duty"]
        except (KeyError, AttributeError):
            pass


def grant_paths(user: Any, action: str) -> list[str]:
    """Paths of the nodes on which ``user`` holds ``action`` through a grant on that node itself.

    Unlike :func:`scope_roots` these are not reduced to a minimal set: rules that distinguish "granted on
    this node" from "granted above it" (plans' handler and reviewer rules) read them.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [p for p, role in _grants(user) if action in actions_for(role)]


def scope_roots(user: Any, action: str = "view") -> list[str]:
    """Paths of the nodes under which ``user`` may perform ``action`` (minimal set, no nesting)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    paths = sorted({path for path, role in _grants(user) if action in actions_for(role)})
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return roots


def _top_paths(user: Any) -> set[str]:
    """Paths of every top-level node (normally the one 省局), read once per request and user."""
    top = getattr(user, _TOP_ATTR, None)
    if top is None:
        Organization = _model("Organization")
        top = set(Organization.objects.filter(parent__isnull=True).values_list("path", flat=True))
        setattr(user, _TOP_ATTR, top)
    return top


def covers_whole_tree(user: Any, roots: list[str]) -> bool:
    """True when ``roots`` include every top-level node, i.e. the scope predicate would match every node.

    Checked only for grants on a top-level node (one extra indexed query, cached per request); a new or
    moved top-level node outside the grants makes this false again on the next request.
    """
    granted_top = {r for r in roots if r.count(".") == 1}
    if not granted_top:
        return False
    top = _top_paths(user)
    return bool(top) and top <= granted_top


def _scope_chain_required(model: type[models.Model], scope_field: str) -> bool:
    """Whether every row reaches a node through ``scope_field`` (no nullable link on the way)."""
    for part in [p for p in scope_field.split("__") if p]:
        field = model._meta.get_field(part)
        if getattr(field, "null", True) or field.related_model is None:
            return False
        model = field.related_model
    return True


def has_action_anywhere(user: Any, action: str) -> bool:
    return bool(scope_roots(user, action))


def _path_lookup(scope_field: str) -> str:
    return f"{scope_field}__path" if scope_field else "path"


# Paths hold only digits and "."; ":" sorts right after both, so [prefix, prefix + ":") is exactly the
# subtree. A range uses the plain B-tree index on ``path`` on SQLite and PostgreSQL alike, where
# ``LIKE 'prefix%'`` does not (SQLite's LIKE is case-insensitive; PostgreSQL needs a non-C collation op class).
SUBTREE_END = ":"


def subtree_q(lookup: str, prefix: str) -> Q:
    """Q for "the node at ``lookup`` lies in the subtree rooted at ``prefix``" (index-backed range)."""
    return Q(**{f"{lookup}__gte": prefix, f"{lookup}__lt": prefix + SUBTREE_END})


def path_of(obj: Any, scope_field: str) -> str | None:
    target = obj
    for part in [p for p in scope_field.split("__") if p]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, "path", None)


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every organisation-owned model. ``scope_field`` is the ORM path to the node."""

    scope_field = "organization"

    def visible_to(self, user: Any, action: str = "view") -> ScopedQuerySet:
        roots = scope_roots(user, action)
        if not roots:
            return self.none()
        if covers_whole_tree(user, roots) and _scope_chain_required(self.model, self.scope_field):
            # Province-wide scope: every row lies under a granted top-level node, so the path range is a
            # tautology. Leaving it out lets counts read the base table alone (quality.md A1).
            return self.all()
        lookup = _path_lookup(self.scope_field)
        return self.filter(reduce(or_, (subtree_q(lookup, r) for r in roots)))

    def in_subtree(self, path: str) -> ScopedQuerySet:
        return self.filter(subtree_q(_path_lookup(self.scope_field), path))


def is_in_scope(user: Any, obj: Any, action: str = "view") -> bool:
    """Object-level check that reuses ``scope_roots``, so list and object checks cannot drift."""
    qs = obj.__class__._default_manager.get_queryset()
    field = getattr(qs, "scope_field", None)
    if field is None:
        return False
    path = path_of(obj, field)
    if path is None:
        return False
    return any(path.startswith(r) for r in scope_roots(user, action))


def org_owned_models() -> list[type[models.Model]]:
    """Models with a direct foreign key or one-to-one to Organization (checked by wenming.E001)."""
    Organization = _model("Organization")
    out = []
    for model in apps.get_models():
        if model is Organization or model._meta.app_label in {"auth", "contenttypes", "sessions", "admin"}:
            continue
        if model._meta.label in EXEMPT_MODELS:
            continue
        for f in model._meta.get_fields():
            if getattr(f, "many_to_one", False) or getattr(f, "one_to_one", False):
                if getattr(f, "related_model", None) is Organization and getattr(f, "concrete", False):
                    out.append(model)
                    break
    return out


def org_chain_models() -> list[type[models.Model]]:
    """Models that reach an organisation only through a foreign-key chain (an attachment → its task →
    the assignee node; an event row → its report → the bureau). Found as a fixpoint over the concrete
    foreign keys into organisation-owned models; exempt models (``accounts.User``) do not carry the
    chain on. Checked by wenming.E001 like the direct ones."""
    Organization = _model("Organization")
    direct = set(org_owned_models())
    owned: set[type[models.Model]] = direct | {Organization}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in owned or model._meta.label in EXEMPT_MODELS:
                continue
            if model._meta.app_label in {"auth", "contenttypes", "sessions", "admin"}:
                continue
            for f in model._meta.get_fields():
                linked = getattr(f, "many_to_one", False) or getattr(f, "one_to_one", False)
                if linked and getattr(f, "concrete", False) and f.related_model in owned:
                    owned.add(model)
                    changed = True
                    break
    return sorted(owned - direct - {Organization}, key=lambda m: m._meta.label)


# Models that point at an organisation but are not read through staff lists (explained per entry).
EXEMPT_MODELS = {
    "accounts.User",  # home_organization is a label; users are listed by the system admin's own scope
}
