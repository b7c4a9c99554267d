"""Template filters shared by every page."""

from django import template

from wenming.core import pii

register = template.Library()


@register.filter
def thousands(value) -> str:
    """123220 → 123,220 (zh-hans formats group by 4 with no separator; ui.md §2.8)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "--" if value in (None, "") else str(value)


@register.filter
def mask_phone(value) -> str:
    return pii.mask_phone(value)


@register.filter
def mask_id(value) -> str:
    return pii.mask_id_number(value)


@register.filter
def mask_name(value) -> str:
    return pii.mask_name(value)


@register.filter
def dash(value) -> str:
    """Empty values show "--" (ui.md §2.3)."""
    return "--" if value in (None, "", []) else value


@register.filter
def page_range(page):
    """Elided page numbers around the current page: 1 2 … 7 8 9 … 62."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


_NOT_FILTERS = frozenset({"page", "size", "sort", "order", "export", "month"})


@register.filter
def query_active(form) -> bool:
    """True when a list page's query form (a bound form, or ``request.GET``) has a filter filled in: the
    form then starts unfolded (templates/includes/query_form.html)."""
    if hasattr(form, "getlist"):  # request.GET of a hand-written query form
        return any(v for k in form if k not in _NOT_FILTERS for v in form.getlist(k))
    if form is None or not getattr(form, "is_bound", False):
        return False
    data = form.data
    for f in form.visible_fields():
        values = data.getlist(f.html_name) if hasattr(data, "getlist") else [data.get(f.html_name)]
        if any(v not in (None, "") for v in values):
            return True
    return False
