"""The list page of every staff list: scoped queryset → filters → pages of 20 → full page, ``#table`` fragment or export.

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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.exports.services import export_queryset
from wenming.workflow.policy import may_anywhere

from .gate import deny

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
    # The rows of most lists are a scoped view, and the export narrows them again to the EXPORT
    # scope. A catalogue every signed-in user reads in full (the province's honour cycles, which
    # every city and enterprise applies to) is not a scoped view: its export is the list's own rows.
    catalogue: bool = False


def export_dt(value: Any) -> str:
    """A date-time cell of an export as the lists show it (local time, to the minute); empty if unset."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_date(value: Any) -> str:
    """A date cell of an export (``YYYY-MM-DD``); empty if unset."""
    return value.strftime("%Y-%m-%d") if value else ""


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
    """CSV or XLSX of ``queryset`` narrowed to the user's EXPORT scope: inline up to the limit, a
    background file above it (``wenming.exports.services.export_queryset``)."""
    check_export(request, fmt)
    if hasattr(queryset, "visible_to") and not spec.catalogue:
        queryset = queryset.visible_to(request.user, Action.EXPORT)
    return _export(request, spec=spec, fmt=fmt, source=queryset, row=spec.row)


def check_export(request: HttpRequest, fmt: str) -> None:
    """A known format and the EXPORT action somewhere (404 / audited 403)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("不支持的导出格式")
    if not may_anywhere(request.user, Action.EXPORT):
        deny(request, Action.EXPORT, message=_("没有导出权限"))


class RowSource:
    """Rows that are not a queryset (statistics, totals) in the shape the export mechanism reads."""

    def __init__(self, rows: Callable[[], Iterable[Sequence[Any]]], count: Callable[[], int]) -> None:
        self._rows, self._count = rows, count

    def count(self) -> int:
        return self._count()

    def iterator(self, chunk_size: int = 1000) -> Iterable[Sequence[Any]]:
        return iter(self._rows())


def export_rows(
    request: HttpRequest,
    *,
    spec: ExportSpec,
    fmt: str,
    rows: Callable[[], Iterable[Sequence[Any]]] | Iterable[Sequence[Any]],
    count: Callable[[], int],
    filters: dict[str, Any] | None = None,
    filename: str = "",
) -> HttpResponse:
    """Export rows already EXPORT-scoped and already passed through ``spec.row`` (pages whose rows are
    not a queryset). The same limit and background path as every list export."""
    check_export(request, fmt)
    factory = rows if callable(rows) else (lambda: rows)
    return _export(
        request,
        spec=spec,
        fmt=fmt,
        source=RowSource(factory, count),
        row=lambda r: r,
        filters=filters,
        filename=filename,
    )


def _export(
    request: HttpRequest,
    *,
    spec: ExportSpec,
    fmt: str,
    source: Any,
    row: Callable[[Any], Sequence[Any]],
    filters: dict[str, Any] | None = None,
    filename: str = "",
) -> HttpResponse:
    if filters is None:
        filters = active_filters(request, spec.sensitive_params)
    return export_queryset(
        request=request,
        queryset=source,
        header=spec.header,
        row=row,
        fmt=fmt,
        filename=f"{filename or f'{spec.filename}-{timezone.localdate():%Y%m%d}'}.{fmt}",
        object_type=spec.object_type,
        filters=filters,
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
        "can_export": export is not None and may_anywhere(request.user, Action.EXPORT),
        **(context or {}),
    }
    htmx = getattr(request, "htmx", None)
    name = f"{template}#{partial}" if htmx and not htmx.boosted else template
    return render(request, name, ctx)
