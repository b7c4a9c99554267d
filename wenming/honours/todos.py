"""待办 lines of the honours engine: review queues, returned applications, rechecks; expiring titles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import Counter, Panel, TodoItem

from . import selectors
from .choices import RecheckResult, TitleStatus
from .models import Recheck
from .permissions import HonourAction as HA


def honours_todos(user: Any) -> Iterable[TodoItem]:
    if not getattr(user, "is_authenticated", False):
        return
    if has_action_anywhere(user, HA.REVIEW):
        n = selectors.review_queue(user=user).count()
        if n:
            yield TodoItem(category="审核", title=f"待审核的荣誉申报 {n} 件", url=reverse("honours:queue"))
    if has_action_anywhere(user, HA.MANAGE):
        n = selectors.office_queue(user=user).count()
        if n:
            yield TodoItem(
                category="评选",
                title=f"待组织评审、公示或命名的申报 {n} 件",
                url=reverse("honours:queue") + "?tab=office",
            )
        n = selectors.objection_list(user=user).filter(status__in=["received", "investigating"]).count()
        if n:
            yield TodoItem(category="公示", title=f"待办理的公示异议 {n} 件", url=reverse("honours:objection-list"))
    if has_action_anywhere(user, HA.APPLY):
        n = selectors.returned_to(user=user).count()
        if n:
            yield TodoItem(
                category="退回",
                title=f"退回补正的荣誉申报 {n} 件",
                url=reverse("honours:application-list") + "?status=returned",
            )
        n = (
            Recheck.objects.visible_to(user, HA.APPLY)
            .filter(result=RecheckResult.OPEN, title__status=TitleStatus.UNDER_REVIEW)
            .count()
        )
        if n:
            yield TodoItem(category="复查", title=f"待提交的荣誉称号自查 {n} 项", url=reverse("honours:manage"))
    if has_action_anywhere(user, HA.REVIEW):
        n = selectors.managed_titles(user=user).count()
        if n:
            yield TodoItem(category="复查", title=f"复查、整改中的荣誉称号 {n} 项", url=reverse("honours:manage"))


def expiring_counter(user: Any) -> Counter | None:
    if not has_action_anywhere(user, HA.REVIEW):
        return None
    n = selectors.expiring(user=user, today=timezone.localdate()).count()
    return Counter(count=n, url=reverse("honours:title-list") + "?expiring=90")


def honours_panel(user: Any) -> Panel | None:
    """荣誉称号: the newest titles in the user's scope."""
    if not (getattr(user, "is_authenticated", False) and has_action_anywhere(user, HA.APPLY)):
        return None
    rows = [
        TodoItem(
            t.get_status_display(),
            f"{t.holder} · {t.programme.name}",
            reverse("honours:title-detail", args=[t.pk]),
            at=None,
        )
        for t in selectors.title_list(user=user)[:5]
    ]
    return Panel(gettext_noop("荣誉称号"), rows, reverse("honours:title-list"), gettext_noop("暂无荣誉称号"))
