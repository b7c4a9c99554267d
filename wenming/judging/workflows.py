"""Transition tables of judging (no I/O). Every state change runs through ``workflow.engine.perform``.

* scheme: draft → published (a published version is immutable; edits make a new draft version);
* round: draft → scoring → closed → published (scores frozen from ``closed`` on; ``reopen`` goes back
  from closed to scoring before publication);
* assignment: pending → submitted (the expert's own; ``return`` sends it back while scoring);
* committee vote: draft → voting → closed (quorum checked when voting opens, result counted at close).
"""

from django.utils.translation import gettext_noop

from wenming.workflow.engine import Transition, Workflow

from .choices import AssignmentStatus as A
from .choices import CommitteeStatus as C
from .choices import RoundStatus as R
from .choices import SchemeStatus as S
from .permissions import JudgingAction as J
from .rules import OWN_ASSIGNMENT

SCHEME_WORKFLOW = Workflow(
    key="judging.scheme",
    model="judging.Scheme",
    event_model="judging.SchemeEvent",
    event_fk="scheme",
    lock_related=("organization",),
    transitions=(Transition("publish", {S.DRAFT}, S.PUBLISHED, J.SCHEME, gettext_noop("发布")),),
    kinds={"create": gettext_noop("创建"), "new_version": gettext_noop("修订为新版本")},
)

ROUND_WORKFLOW = Workflow(
    key="judging.round",
    model="judging.Round",
    event_model="judging.RoundEvent",
    event_fk="round",
    lock_related=("organization",),
    transitions=(
        Transition("start", {R.DRAFT}, R.SCORING, J.MANAGE, gettext_noop("开始评分")),
        Transition("close", {R.SCORING}, R.CLOSED, J.MANAGE, gettext_noop("结束评分")),
        Transition("reopen", {R.CLOSED}, R.SCORING, J.MANAGE, gettext_noop("重新开放评分")),
        Transition("publish", {R.CLOSED}, R.PUBLISHED, J.MANAGE, gettext_noop("发布结果")),
    ),
    kinds={"create": gettext_noop("创建"), "entries": gettext_noop("添加参评对象"), "assign": gettext_noop("分配专家")},
)

ASSIGNMENT_WORKFLOW = Workflow(
    key="judging.assignment",
    model="judging.Assignment",
    event_model="judging.AssignmentEvent",
    event_fk="assignment",
    lock_related=("entry__round__organization",),
    transitions=(
        Transition("submit", {A.PENDING}, A.SUBMITTED, OWN_ASSIGNMENT, gettext_noop("提交评分")),
        Transition("return", {A.SUBMITTED}, A.PENDING, J.MANAGE, gettext_noop("退回重评")),
    ),
    kinds={"assign": gettext_noop("分配"), "save": gettext_noop("保存草稿"), "conflict": gettext_noop("声明利益冲突")},
)

COMMITTEE_WORKFLOW = Workflow(
    key="judging.committee",
    model="judging.CommitteeVote",
    event_model="judging.CommitteeEvent",
    event_fk="vote",
    lock_related=("organization",),
    transitions=(
        Transition("open", {C.DRAFT}, C.VOTING, J.MANAGE, gettext_noop("开始表决")),
        Transition("close", {C.VOTING}, C.CLOSED, J.MANAGE, gettext_noop("结束表决并计票")),
    ),
    kinds={"create": gettext_noop("创建")},
)
