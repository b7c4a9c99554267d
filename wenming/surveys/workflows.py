"""Transition table of questionnaires (SURVEY). No I/O.

A draft is edited freely; publishing freezes it (questions can no longer change) and retires the
family's previously published version in the same transaction; a new version starts as a copy.
"""

from wenming.audit.models import AuditAction
from wenming.surveys.permissions import SurveyAction as SA
from wenming.workflow.engine import Transition, Workflow

from .choices import FollowUpStatus as F
from .choices import QuestionnaireStatus as Q

QUESTIONNAIRE_WORKFLOW = Workflow(
    key="surveys.questionnaire",
    model="surveys.Questionnaire",
    event_model="surveys.QuestionnaireEvent",
    event_fk="questionnaire",
    lock_related=("organization",),
    transitions=(
        Transition("publish", {Q.DRAFT}, Q.PUBLISHED, SA.MANAGE, "发布", audit=AuditAction.UPDATE),
        Transition("retire", {Q.PUBLISHED}, Q.RETIRED, SA.MANAGE, "停用", audit=AuditAction.UPDATE),
    ),
    kinds={"create": "创建"},
)

# A negative comment is routed to the outlet's enterprise (status OPEN); someone in scope records the handling.
FOLLOW_UP_WORKFLOW = Workflow(
    key="surveys.follow_up",
    model="surveys.CommentInsight",
    event_model="surveys.CommentInsightEvent",
    event_fk="insight",
    lock_related=("outlet",),
    transitions=(Transition("handle", {F.OPEN}, F.HANDLED, SA.FOLLOW_UP, "已跟进", audit=AuditAction.UPDATE),),
)
