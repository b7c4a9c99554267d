"""Enumerations of plans, goals, supervised tasks, progress reports and bulletins."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressMode(models.TextChoices):
    MANUAL = "manual", _("手工填报")  # the assignee enters a percentage
    ROLLUP = "rollup", _("按子任务汇总")  # the average of the subtasks (a task without subtasks keeps its own value)


class WorkGoalStatus(models.TextChoices):
    PLANNED = "planned", _("已规划")  # target and indicator set, nothing started
    PILOTING = "piloting", _("试点中")  # pilot units chosen, baseline captured
    EVALUATED = "evaluated", _("已评估")  # outcome of the pilot recorded
    ROLLING_OUT = "rolling_out", _("推广中")  # spreading from the pilots to every unit (以点带面)
    INSTITUTIONALISED = "institutionalised", _("已制度化")  # a rule document makes it routine (terminal)
    CANCELLED = "cancelled", _("已取消")  # dropped with a reason (terminal)


class WorkTaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # written by the office or a division, not yet approved
    APPROVED = "approved", _("待下发")  # approved by the office head, waiting to be sent
    DISPATCHED = "dispatched", _("待签收")  # sent; the assignee has not acknowledged
    IN_PROGRESS = "in_progress", _("办理中")  # acknowledged (签收) or returned for more work
    REPORTED = "reported", _("待复核")  # the assignee reported completion; the dispatcher re-checks
    CLOSED = "closed", _("已办结")  # re-checked and closed (terminal)
    CANCELLED = "cancelled", _("已撤销")  # withdrawn by the office head with a reason (terminal)


OPEN_TASK_STATES = ("draft", "approved", "dispatched", "in_progress", "reported")
LIVE_TASK_STATES = ("dispatched", "in_progress", "reported")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")  # waiting for the dispatcher
    APPROVED = "approved", _("已批准")  # due date moved; the original due date is kept for rankings
    DENIED = "denied", _("未批准")  # due date kept


class TrafficLight(models.TextChoices):
    GREEN = "green", _("正常")  # on track
    BLUE = "blue", _("临期")  # due within 3 working days
    YELLOW = "yellow", _("滞后")  # behind schedule or returned
    RED = "red", _("已逾期")  # past the due date


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    HALF_YEAR = "half_year", _("半年")
    ANNUAL = "annual", _("年度")


class ProgressReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")  # being written by the city bureau (also after a return)
    SUBMITTED = "submitted", _("待审核")  # submitted to the provincial office
    REVIEWED = "reviewed", _("已审核")  # accepted by the office, adoption not decided yet
    ADOPTED = "adopted", _("已采用")  # adopted: counts for the city ranking, may go into the bulletin
    ARCHIVED = "archived", _("已存档")  # accepted and filed without adoption (terminal)
    PUBLISHED = "published", _("已发布")  # adopted and published (bulletin, website, SPB) (terminal)


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")  # items being chosen
    ISSUED = "issued", _("已印发")  # issued; files generated from it
