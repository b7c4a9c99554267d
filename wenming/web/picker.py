"""The JSON search behind :class:`wenming.web.widgets.Picker`: at most 20 rows of the user's scope.

``GET /picker/<source>/?q=…`` with ``source`` one of ``organizations``, ``couriers``, ``users``:

* rows come from ``visible_to(user, action)`` (``action`` defaults to ``view``; an action the user
  does not hold anywhere finds nothing), so nothing outside the scope is ever named;
* organisations match on name, short name or code, couriers and staff on their name; people are
  shown by their masked name (``pii.mask_name``) and their unit only;
* modules above the web layer register further sources (:func:`register_source`);
* ``kind`` / ``exclude_kind`` (organisation kinds, comma separated) and ``under`` (a unit's pk: its
  subtree) narrow the search further. The form field still validates the chosen pk against its own
  queryset, so the search is a convenience, never the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse

from wenming.accounts.models import User
from wenming.accounts.roles import Action
from wenming.core import pii
from wenming.core.forms import parse_id
from wenming.organizations.models import Organization
from wenming.organizations.scoping import subtree_q
from wenming.people.models import Courier

from .gate import staff_view

LIMIT = 20
MAX_QUERY = 50


def _list(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v][:20]


def _under(request: HttpRequest) -> str | None:
    pk = parse_id(request.GET.get("under"))
    if pk is None:
        return None
    return Organization.objects.filter(pk=pk).values_list("path", flat=True).first() or "\x00"


def _org_label(org: Organization) -> str:
    if org.kind in ("division", "section") and org.parent_id:
        return f"{org.parent.name} / {org.name}"
    return org.name


def search_organizations(user: Any, q: str, *, action: str, params: Any, under: str | None) -> list[dict]:
    qs: QuerySet = Organization.objects.visible_to(user, action).filter(is_active=True)
    if kinds := _list(params.get("kind")):
        qs = qs.filter(kind__in=kinds)
    if excluded := _list(params.get("exclude_kind")):
        qs = qs.exclude(kind__in=excluded)
    if under:
        qs = qs.filter(subtree_q("path", under))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__startswith=q))
    rows = qs.select_related("parent").order_by("depth", "path")[:LIMIT]
    return [{"id": o.pk, "label": _org_label(o), "hint": o.get_kind_display()} for o in rows]


def search_couriers(user: Any, q: str, *, action: str, params: Any, under: str | None) -> list[dict]:
    qs: QuerySet = Courier.objects.visible_to(user, action).filter(status="active")
    if under:
        qs = qs.filter(subtree_q("outlet__path", under))
    if q:
        qs = qs.filter(name__icontains=q)
    rows = qs.select_related("outlet").order_by("name", "id")[:LIMIT]
    return [{"id": c.pk, "label": c.masked_name, "hint": c.outlet.name} for c in rows]


def staff_in_scope(user: Any, action: str = Action.VIEW) -> QuerySet[User]:
    """Active staff accounts whose home unit lies in ``user``'s scope for ``action``."""
    units = Organization.objects.visible_to(user, action).values("pk")
    return User.objects.filter(is_active=True, home_organization__in=units).order_by("username")


def search_users(user: Any, q: str, *, action: str, params: Any, under: str | None) -> list[dict]:
    qs = staff_in_scope(user, action)
    if under:
        qs = qs.filter(subtree_q("home_organization__path", under))
    if q:
        qs = qs.filter(display_name__icontains=q)
    rows = qs.select_related("home_organization").order_by("display_name", "id")[:LIMIT]
    return [
        {"id": u.pk, "label": pii.mask_name(u.display_name or u.username), "hint": u.home_organization.name}
        for u in rows
    ]


Search = Callable[..., list[dict]]
SEARCHES: dict[str, Search] = {
    "organizations": search_organizations,
    "couriers": search_couriers,
    "users": search_users,
}


def register_source(name: str, search: Search) -> None:
    """A module above the web layer adds a source (plans: goals, dispatches); same signature as
    :func:`search_organizations`, same rules: ``visible_to`` rows only, at most :data:`LIMIT`."""
    SEARCHES[name] = search


@staff_view()
def picker_search(request: HttpRequest, source: str) -> JsonResponse:
    search = SEARCHES.get(source)
    if search is None:
        raise Http404("未知的选择类型")
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    action = (request.GET.get("action") or Action.VIEW)[:60]
    results = search(request.user, q, action=action, params=request.GET, under=_under(request))
    return JsonResponse({"results": results, "limit": LIMIT})
