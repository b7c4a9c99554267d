"""Fixtures of the plans tests: a province → Shenyang / Dalian task factory at a fixed time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10):
    """A time_machine travel to a local (Asia/Shanghai) time."""
    return time_machine.travel(datetime(y, m, d, h, 0, tzinfo=TZ), tick=False)


@pytest.fixture
def colleagues(org_tree):
    """A second approver at the province and at Shenyang: under the two-person rule (督办设置, on by
    default) the one who drafts a 督办事项 cannot approve it."""
    from types import SimpleNamespace

    from conftest import make_user

    return SimpleNamespace(
        province=make_user("p_office", role="committee_office", org=org_tree.province),
        shenyang=make_user("sy_deputy", role="city_admin", org=org_tree.shenyang),
    )


@pytest.fixture
def make_task(personas, org_tree, colleagues):
    """Create and send a 督办事项 from the province to one city bureau; returns the task.

    The province office drafts it; the province admin approves and sends it (two-person rule)."""
    from wenming.plans.services import dispatch_approve, dispatch_create, dispatch_send

    def _make(*, assignee=None, due: date, on: date | None = None, title="开展文明创建专项行动", plan=None, send=True):
        by = personas.province_admin
        assignee = assignee or org_tree.shenyang
        with at(*(on or date(2026, 11, 2)).timetuple()[:3]):
            d = dispatch_create(
                issuer=org_tree.province,
                title=title,
                content="按方案要求推进，按时反馈。",
                due_date=due,
                assignees=[assignee],
                plan=plan,
                by=colleagues.province,
            )
            if send:
                dispatch_approve(dispatch_id=d.pk, by=by)
                dispatch_send(dispatch_id=d.pk, by=by)
        return d.tasks.get()

    return _make
