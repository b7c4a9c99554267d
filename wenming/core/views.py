"""The reusable list page: scoped queryset → filters → pages of 20 → full page, ``#table`` fragment or export.

Usage from any module's view::

    return list_page(
        request,
        queryset=outlet_list(user=request.user),          # a selector, i.e. ``visible_to(user, VIEW)``
        template="organizations/outlet_list.html",        # defines {% partialdef table %}
        filterset_class=OutletFilter,
        export=ExportSpec(filename="网点", header=[...], row=lambda o: [...], object_type="organizations.Outlet"),
    )

- ``?size=10|20|50|100`` (default 20) and ``?page=N``;
- htmx requests (not boosted) get only ``template#table`` (django-template-partials);
- ``?export=csv|xlsx`` exports the same filtered rows through ``wenming.exports.services.export_queryset``
  (inline up to 5,000 rows, above that a background file with progress); it needs
  ``Action.EXPORT``, and the rows are narrowed again to the user's EXPORT scope. Filter values named in
  ``ExportSpec.sensitive_params`` (ID number, phone searches) never reach the audit row.
The page does a constant number of queries: one count, one page of rows (callers ``select_related``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.scoping import has_action_anywhere

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
CONTROL_PARAMS = frozenset({"page", "size", "export"})


@dataclass(frozen=True)
class ExportSpec:
    """What an export of a list looks like: file name (no extension), header, one row per object."""

    filename: str
    header: Sequence[str]
    row: Callable[[Any], Sequence[Any]]
    object_type: str
    sensitive_params: frozenset[str] = field(default_factory=frozenset)


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("size", DEFAULT_PAGE_SIZE))
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def active_filters(request: HttpRequest, sensitive: frozenset[str] = frozenset()) -> dict[str, str]:
    """The non-empty query parameters that filter the list (sensitive values replaced by ***)."""
    out = {}
    for key in request.GET:
        if key in CONTROL_PARAMS:
            continue
        values = [v for v in request.GET.getlist(key) if v.strip()]
        if values:
            out[key] = "***" if key in sensitive else ",".join(values)
    return out


def filter_queryset(request: HttpRequest, queryset: QuerySet, filterset_class: Any = None) -> tuple[QuerySet, Any]:
    """Apply a django-filter FilterSet; an invalid form (e.g. a malformed ID number) matches nothing."""
    if filterset_class is None:
        return queryset, None
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def export_response(request: HttpRequest, queryset: QuerySet, spec: ExportSpec, fmt: str) -> HttpResponse:
    """CSV or XLSX of ``queryset`` narrowed to the user's EXPORT scope (``wenming.exports.services.export_queryset``:
    inline up to 5,000 rows, a background file above)."""
    from wenming.exports.services import export_queryset

    if fmt not in ("csv", "xlsx"):
        raise Http404("不支持的导出格式")
    if not has_action_anywhere(request.user, Action.EXPORT):
        raise PermissionDenied("没有导出权限")
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(request.user, Action.EXPORT)
    return export_queryset(
        request=request,
        queryset=queryset,
        header=spec.header,
        row=spec.row,
        fmt=fmt,
        filename=f"{spec.filename}-{timezone.localdate():%Y%m%d}.{fmt}",
        object_type=spec.object_type,
        filters=active_filters(request, spec.sensitive_params),
        title=f"导出：{spec.filename}",
    )


def list_page(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    template: str,
    filterset_class: Any = None,
    export: ExportSpec | None = None,
    context: dict[str, Any] | None = None,
    partial: str = "table",
) -> HttpResponse:
    """Render a scoped, filtered, paginated list (or its fragment, or its export)."""
    qs, filterset = filter_queryset(request, queryset, filterset_class)
    fmt = request.GET.get("export")
    if fmt:
        if export is None:
            raise Http404("此列表不支持导出")
        return export_response(request, qs, export, fmt)
    size = page_size(request)
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "object_list": page.object_list,
        "filter": filterset,
        "form": filterset.form if filterset is not None else None,
        "is_filtered": bool(active_filters(request)),
        "size": size,
        "page_sizes": PAGE_SIZES,
        "can_export": export is not None and has_action_anywhere(request.user, Action.EXPORT),
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    name = f"{template}#{partial}" if htmx and not htmx.boosted else template
    return render(request, name, ctx)
