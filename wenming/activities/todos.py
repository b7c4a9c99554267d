"""待办 lines of the activities app: activities to verify, returned activities, hours to approve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from wenming.activities.permissions import ActivityAction as AA
from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import Panel, TodoItem

from .choices import ActivityStatus, VolunteerRecordStatus
from .models import Activity, VolunteerRecord
from .selectors import activity_list, volunteer_event_list


def activity_todos(user: Any) -> Iterable[TodoItem]:
    base = reverse("activities:list")
    n = Activity.objects.visible_to(user, AA.ACTIVITY_VERIFY).filter(status=ActivityStatus.SUBMITTED).count()
    if n:
        yield TodoItem(category="审核", title=f"待核实的创建活动 {n} 条", url=f"{base}?status=submitted")
    n = (
        Activity.objects.visible_to(user, AA.ACTIVITY_RECORD)
        .filter(status=ActivityStatus.RETURNED, created_by=user)
        .count()
    )
    if n:
        yield TodoItem(category="退回", title=f"被退回的创建活动 {n} 条", url=f"{base}?status=returned")
    n = (
        VolunteerRecord.objects.visible_to(user, AA.ACTIVITY_RECORD)
        .filter(status=VolunteerRecordStatus.PENDING)
        .count()
    )
    if n:
        yield TodoItem(
            category="审核",
            title=f"待审核的志愿服务时长 {n} 条",
            url=reverse("activities:volunteer-records") + "?status=pending",
        )


def _recorder(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and has_action_anywhere(user, AA.ACTIVITY_RECORD)


def activities_panel(user: Any) -> Panel | None:
    """本单位创建活动: the latest activities of the units the user records for."""
    if not _recorder(user):
        return None
    rows = [
        TodoItem(a.get_status_display(), a.title, reverse("activities:detail", args=[a.pk]), at=a.starts_at)
        for a in activity_list(user=user).order_by("-starts_at", "-id")[:5]
    ]
    return Panel(gettext_noop("本单位创建活动"), rows, reverse("activities:list"), gettext_noop("暂无创建活动"))


def volunteer_panel(user: Any) -> Panel | None:
    """志愿服务: the units' volunteer events, the coming ones first."""
    if not _recorder(user):
        return None
    now = timezone.now()
    events = volunteer_event_list(user=user)
    coming = list(events.filter(starts_at__gte=now).order_by("starts_at", "id")[:5])
    past = list(events.filter(starts_at__lt=now)[: 5 - len(coming)]) if len(coming) < 5 else []
    rows = [
        TodoItem(
            "即将开始" if e.starts_at >= now else "已开始",
            f"{e.title}（报名 {e.n_signups} 人）",
            reverse("activities:volunteer-detail", args=[e.pk]),
            at=e.starts_at,
        )
        for e in [*coming, *past]
    ]
    return Panel(gettext_noop("志愿服务"), rows, reverse("activities:volunteer-list"), gettext_noop("暂无志愿服务活动"))
