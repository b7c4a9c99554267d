"""Context for the staff shell: menu by role, current data scope, unread notifications."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from wenming.accounts.roles import Role
from wenming.organizations.models import Organization
from wenming.organizations.scoping import scope_roots

from .menu import menu_for
from .services import unread_count


def scope_label(user: Any) -> str:
    roots = scope_roots(user, "view")
    if not roots:
        duty = getattr(user, "admin_duty", None)
        if duty:
            return str(Role(duty).label)
        return gettext("无")
    names = list(Organization.objects.filter(path__in=roots[:3]).values_list("name", flat=True))
    label = "、".join(names)
    return label + (f" 等{len(roots)}个单位" if len(roots) > 3 else "")


def workbench(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "wb_menu": menu_for(user, request.path),
        "wb_scope_label": scope_label(user),
        "wb_unread": unread_count(user),
    }
