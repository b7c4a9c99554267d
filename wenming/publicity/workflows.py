"""Transition tables of the publicity app. No I/O.

* 先进典型 (EXEMPLAR): draft → verified by the unit → published by the bureau; withdrawn consent takes a
  published profile down at once (``withdraw``), an expired consent is taken down by the hourly job
  (``expire``, the system alone).
* 通知公告 (NOTICE): draft → sent (deliveries are written to every recipient unit).
* 建言献策 (SUGGESTION): submitted → routed (to the handling unit) → answered → adopted / not adopted.
* 价值体系 (VALUES): an enterprise's version goes draft → submitted → approved by its city bureau, or
  returned and resubmitted.
"""

from django.utils.translation import gettext_noop

from wenming.audit.models import AuditAction
from wenming.workflow.engine import Transition, Workflow
from wenming.workflow.policy import SYSTEM

from .choices import ExemplarStatus as E
from .choices import NoticeStatus as N
from .choices import SuggestionStatus as S
from .choices import ValuesStatus as V
from .permissions import PublicityAction as PA

EXEMPLAR_WORKFLOW = Workflow(
    key="publicity.exemplar",
    model="publicity.Exemplar",
    event_model="publicity.ExemplarEvent",
    event_fk="exemplar",
    lock_related=("organization",),
    transitions=(
        Transition("verify", {E.DRAFT}, E.VERIFIED, PA.VERIFY, gettext_noop("单位核实")),
        Transition("reopen", {E.VERIFIED}, E.DRAFT, PA.EDIT, gettext_noop("退回修改"), audit=AuditAction.UPDATE),
        Transition("publish", {E.VERIFIED}, E.PUBLISHED, PA.PUBLISH, gettext_noop("发布")),
        Transition("unpublish", {E.PUBLISHED}, E.VERIFIED, PA.PUBLISH, gettext_noop("撤下")),
        Transition("withdraw", {E.PUBLISHED}, E.VERIFIED, PA.EDIT, gettext_noop("撤回同意并下线")),
        Transition("expire", {E.PUBLISHED}, E.VERIFIED, SYSTEM, gettext_noop("同意到期下线")),
    ),
    kinds={
        "create": gettext_noop("登记"),
        "consent": gettext_noop("记录同意"),
        "consent_withdrawn": gettext_noop("撤回同意"),
    },
)

NOTICE_WORKFLOW = Workflow(
    key="publicity.notice",
    model="publicity.Notice",
    event_model="publicity.NoticeEvent",
    event_fk="notice",
    lock_related=("organization",),
    transitions=(Transition("send", {N.DRAFT}, N.SENT, PA.NOTICE, gettext_noop("发送")),),
    kinds={"create": gettext_noop("起草"), "remind": gettext_noop("提醒未读")},
)

SUGGESTION_WORKFLOW = Workflow(
    key="publicity.suggestion",
    model="publicity.Suggestion",
    event_model="publicity.SuggestionEvent",
    event_fk="suggestion",
    lock_related=("organization",),
    transitions=(
        Transition("route", {S.SUBMITTED}, S.ROUTED, PA.HANDLE, gettext_noop("分办")),
        Transition("answer", {S.ROUTED}, S.ANSWERED, PA.HANDLE, gettext_noop("答复")),
        Transition("adopt", {S.ANSWERED}, S.ADOPTED, PA.HANDLE, gettext_noop("采纳")),
        Transition("decline", {S.ANSWERED}, S.NOT_ADOPTED, PA.HANDLE, gettext_noop("不予采纳")),
    ),
    kinds={"submit": gettext_noop("提交")},
)

VALUES_WORKFLOW = Workflow(
    key="publicity.values",
    model="publicity.ValueStatement",
    event_model="publicity.ValueStatementEvent",
    event_fk="statement",
    lock_related=("organization",),
    transitions=(
        Transition("submit", {V.DRAFT, V.RETURNED}, V.SUBMITTED, PA.VALUES_EDIT, gettext_noop("提交审核")),
        Transition("approve", {V.SUBMITTED}, V.APPROVED, PA.VALUES_REVIEW, gettext_noop("审核通过")),
        Transition("return", {V.SUBMITTED}, V.RETURNED, PA.VALUES_REVIEW, gettext_noop("退回修改")),
    ),
    kinds={"create": gettext_noop("起草")},
)
