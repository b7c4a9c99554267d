"""待办 lines of the activities app: activities to verify, returned activities, hours to approve."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from wenming.activities.permissions import ActivityAction as AA
from wenming.workbench.services import TodoItem

from .choices import ActivityStatus, VolunteerRecordStatus
from .models import Activity, VolunteerRecord


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
