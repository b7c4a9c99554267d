"""The ONE view gate of staff pages.

* ``@staff_view(permission)`` — login required; with a permission, the user must be able to exercise it
  somewhere (``policy.may_anywhere``), else an audited 403. Any ``PermissionDenied`` raised further down
  (a service's ``policy.require``, :func:`check`) is audited on its way out, once.
* :func:`get_scoped_or_404` — the object through the user's VIEW scope (404 outside it, indistinguishable
  from a missing row), then, with ``permission``, :func:`check` on it.
* :func:`check` — ``policy.authorize(user, permission, obj)`` or an audited 403; :func:`can` is the
  boolean for buttons.

Out of scope → 404, in scope but not allowed → 403 with an ``access_denied`` audit row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, NoReturn

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction, AuditOutcome
from wenming.audit.services import audit_record
from wenming.workflow.policy import authorize, may_anywhere

_AUDITED = "_wenming_denial_audited"


def _audit_denial(request: HttpRequest, needs: Sequence[str], obj: Any = None, object_type: str = "") -> None:
    detail: dict[str, Any] = {"path": request.path[:200]}
    if needs:
        detail["needs"] = list(needs)
    audit_record(
        AuditAction.ACCESS_DENIED,
        request=request,
        obj=obj if isinstance(obj, Model) else None,
        object_type=object_type,
        outcome=AuditOutcome.DENIED,
        detail=detail,
    )


def deny(request: HttpRequest, *needs: str, obj: Any = None, object_type: str = "", message: str = "") -> NoReturn:
    """Write the refusal's audit row and raise the 403."""
    _audit_denial(request, needs, obj, object_type)
    exc = PermissionDenied(message) if message else PermissionDenied()
    setattr(exc, _AUDITED, True)
    raise exc


def can(request: HttpRequest, permission: str, obj: Any = None) -> bool:
    """Whether the signed-in user may exercise ``permission`` (on ``obj``) — for buttons and links."""
    if obj is None:
        return may_anywhere(request.user, permission)
    return authorize(request.user, permission, obj)


def check(request: HttpRequest, permission: str, obj: Any = None, *, message: str = "") -> None:
    """:func:`can` or an audited 403."""
    if not can(request, permission, obj):
        deny(request, permission, obj=obj, message=message)


def get_scoped_or_404(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    permission: str | None = None,
    scope: str = Action.VIEW,
    **lookup: Any,
) -> Any:
    """The row matching ``lookup`` inside the user's ``scope`` (404 otherwise), checked for ``permission``.

    ``queryset`` is a model's scoped queryset or a selector's result (already ``visible_to``; narrowing
    it again is harmless).
    """
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(request.user, scope)
    obj = get_object_or_404(queryset, **lookup)
    if permission is not None:
        check(request, permission, obj)
    return obj


def staff_view(
    permission: str | Sequence[str] | None = None, *, object_type: str = "", message: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a staff view: login required; ``permission`` (any one of several) held somewhere.

    Refusals — here or raised inside the view — are audited once and answered with the 403 page.
    """
    needs: tuple[str, ...] = (permission,) if isinstance(permission, str) else tuple(permission or ())

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if needs and not any(may_anywhere(request.user, p) for p in needs):
                deny(request, *needs, object_type=object_type, message=message)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                if not getattr(exc, _AUDITED, False):
                    _audit_denial(request, (), None, object_type)
                    setattr(exc, _AUDITED, True)
                raise

        wrapper.staff_view = True  # type: ignore[attr-defined]
        return login_required(wrapper)

    return decorate
