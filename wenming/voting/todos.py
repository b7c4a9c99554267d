"""待办 lines of voting: open anomalies (security admin) and quarantines waiting for a second approval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.organizations.scoping import has_action_anywhere
from wenming.workbench.services import TodoItem

from .choices import AnomalyStatus, QuarantineStatus
from .models import Anomaly, Quarantine
from .permissions import VotingAction as VA


def voting_todos(user: Any) -> Iterable[TodoItem]:
    if has_action_anywhere(user, VA.QUARANTINE_PROPOSE):
        rows = (
            Anomaly.objects.visible_to(user, VA.QUARANTINE_PROPOSE)
            .filter(status=AnomalyStatus.OPEN)
            .values_list("poll_id", flat=True)
        )
        polls = sorted(set(rows[:1000]))
        if polls:
            yield TodoItem(
                category=_("网络投票"),
                title=_("待处理的投票异常 %(n)s 条") % {"n": rows.count()},
                url=reverse("voting:anomalies", args=[polls[0]]),
            )
    if has_action_anywhere(user, VA.QUARANTINE_DECIDE):
        pending = (
            Quarantine.objects.visible_to(user, VA.QUARANTINE_DECIDE)
            .filter(status=QuarantineStatus.PENDING)
            .exclude(proposed_by=user)
            .order_by("proposed_at")
        )
        first = pending.first()
        if first is not None:
            yield TodoItem(
                category=_("网络投票"),
                title=_("待确认的选票隔离 %(n)s 项") % {"n": pending.count()},
                url=reverse("voting:anomalies", args=[first.poll_id]),
                at=first.proposed_at,
            )
