"""Pages of 工作督办: plans and goals, 督办事项 and tasks, progress reports, bulletins, institutions, statistics.

Out-of-scope rows are 404 (fetched through ``visible_to``); visible rows the user may not act on are 403
(``wenming.web.gate``). One module per page group; URL names are in ``plans/urls.py``.
"""

from __future__ import annotations

from .bulletins import bulletin_detail, bulletin_index
from .institutions import institution_create, institution_detail, institution_file, institution_index
from .plans_goals import goal_create, goal_detail, plan_create, plan_detail, plan_index, plan_mode
from .reports import report_action, report_create, report_detail, report_index
from .statistics import settings_edit, statistics
from .tasks import (
    attachment_download,
    dispatch_create,
    dispatch_detail,
    task_action,
    task_cancel,
    task_detail,
    task_index,
)

__all__ = [
    "attachment_download",
    "bulletin_detail",
    "bulletin_index",
    "dispatch_create",
    "dispatch_detail",
    "goal_create",
    "goal_detail",
    "institution_create",
    "institution_detail",
    "institution_file",
    "institution_index",
    "plan_create",
    "plan_detail",
    "plan_index",
    "plan_mode",
    "report_action",
    "report_create",
    "report_detail",
    "report_index",
    "settings_edit",
    "statistics",
    "task_action",
    "task_cancel",
    "task_detail",
    "task_index",
]
