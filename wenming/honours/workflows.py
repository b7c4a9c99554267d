"""Transition tables of the honours engine. No I/O.

* **Applications** run on a review chain whose stages are rows of their programme
  (``Programme.stages``): ``workflow.engine.stage_chain`` builds the table, :func:`chain_for` caches one
  per distinct list of stages. The chain of the standard list (city review → province review → expert
  scoring → committee → 公示) is the registered workflow ``honours.application``; other programmes'
  chains (e.g. 最美快递员: eligibility → vote → experts → 公示) use the same transition names, model,
  history and kernel, and are not registered a second time.
* **Titles** (dynamic management, domain §6.3) and **objections** (公示) are fixed tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from wenming.audit.models import AuditAction
from wenming.workflow import engine
from wenming.workflow.engine import Stage, Transition, Workflow, stage_chain
from wenming.workflow.policy import SYSTEM

from .choices import AppStatus, ObjectionStatus, StageKind, TitleStatus
from .permissions import HonourAction as HA
from .rules import APPLICANT, CITY_REVIEW, PROVINCE_REVIEW

# The standard review chain of a programme (青年文明号, 巾帼文明岗, 文明单位 …): rows of Programme.stages.
STANDARD_STAGES: list[dict[str, Any]] = [
    {"code": "city_review", "label": "市局初审", "kind": StageKind.REVIEW.value, "permission": CITY_REVIEW},
    {"code": "province_review", "label": "省局复审", "kind": StageKind.REVIEW.value, "permission": PROVINCE_REVIEW},
    {"code": "scoring", "label": "专家评审", "kind": StageKind.SCORING.value, "permission": HA.MANAGE},
    {"code": "committee", "label": "评审委员会审定", "kind": StageKind.COMMITTEE.value, "permission": HA.MANAGE},
    {"code": "notice", "label": "公示", "kind": StageKind.NOTICE.value, "permission": HA.MANAGE},
]
# 最美快递员 editions: nomination (the draft) → eligibility → public vote → expert review → 公示 → award.
SELECTION_STAGES: list[dict[str, Any]] = [
    {"code": "eligibility", "label": "资格审查", "kind": StageKind.ELIGIBILITY.value, "permission": HA.MANAGE},
    {"code": "vote", "label": "公众投票", "kind": StageKind.VOTE.value, "permission": HA.MANAGE},
    {"code": "scoring", "label": "专家评审", "kind": StageKind.SCORING.value, "permission": HA.MANAGE},
    {"code": "notice", "label": "公示", "kind": StageKind.NOTICE.value, "permission": HA.MANAGE},
]
STAGE_PERMISSIONS = {CITY_REVIEW, PROVINCE_REVIEW, HA.MANAGE}


def _stages(rows: Iterable[dict[str, Any]]) -> list[Stage]:
    return [
        Stage(
            str(r["code"]),
            str(r["label"]),
            str(r["permission"]),
            can_return=r.get("kind", StageKind.REVIEW) == StageKind.REVIEW,
        )
        for r in rows
    ]


def _signature(stages: Sequence[Stage]) -> tuple:
    return tuple((s.code, s.label, s.permission, s.can_return) for s in stages)


def _build(key: str, stages: Sequence[Stage]) -> Workflow:
    return stage_chain(
        key,
        model="honours.Application",
        stages=stages,
        draft=AppStatus.DRAFT,
        returned=AppStatus.RETURNED,
        done=AppStatus.DONE,
        rejected=AppStatus.REJECTED,
        submit_permission=APPLICANT,
        event_model="honours.ApplicationEvent",
        event_fk="application",
    )


APPLICATION_WORKFLOW = _build("honours.application", _stages(STANDARD_STAGES))
_CHAINS: dict[tuple, Workflow] = {_signature(_stages(STANDARD_STAGES)): APPLICATION_WORKFLOW}


def chain_for(stage_rows: Iterable[dict[str, Any]]) -> Workflow:
    """The workflow of a programme's stages (built once per distinct list, on the one kernel)."""
    stages = _stages(stage_rows)
    sig = _signature(stages)
    wf = _CHAINS.get(sig)
    if wf is None:
        wf = _build(f"honours.application.{len(_CHAINS)}", stages)
        engine.unregister(wf.key)  # same model, names and history as honours.application: one registration
        _CHAINS[sig] = wf
    return wf


T = TitleStatus
TITLE_WORKFLOW = Workflow(
    key="honours.title",
    model="honours.Title",
    event_model="honours.TitleEvent",
    event_fk="title",
    lock_related=("organization", "programme"),
    transitions=(
        Transition("recheck_open", {T.ACTIVE}, T.UNDER_REVIEW, SYSTEM, "开启年度复查", audit=AuditAction.UPDATE),
        Transition("recheck_pass", {T.UNDER_REVIEW}, T.ACTIVE, HA.REVIEW, "复查通过"),
        Transition("warn", {T.UNDER_REVIEW}, T.RECTIFYING, HA.REVIEW, "警告提醒，限期整改"),
        Transition("rectified", {T.RECTIFYING}, T.ACTIVE, HA.REVIEW, "整改通过"),
        Transition("downgrade", {T.RECTIFYING}, T.ACTIVE, HA.MANAGE, "调整星级"),
        Transition("revoke", {T.ACTIVE, T.UNDER_REVIEW, T.RECTIFYING}, T.REVOKED, HA.MANAGE, "撤销称号（摘牌）"),
        Transition("withdraw_missed", {T.UNDER_REVIEW}, T.REVOKED, SYSTEM, "逾期未自查，视为自动放弃"),
        Transition("expire", {T.ACTIVE, T.UNDER_REVIEW, T.RECTIFYING}, T.EXPIRED, SYSTEM, "届满到期"),
    ),
    kinds={"create": "命名", "self_report": "提交自查报告", "points": "积分记录"},
)

OS = ObjectionStatus
OBJECTION_WORKFLOW = Workflow(
    key="honours.objection",
    model="honours.Objection",
    event_model="honours.ObjectionEvent",
    event_fk="objection",
    lock_related=("notice__cycle",),
    transitions=(
        Transition("investigate", {OS.RECEIVED}, OS.INVESTIGATING, HA.MANAGE, "开始调查核实"),
        Transition("uphold", {OS.INVESTIGATING}, OS.UPHELD, HA.MANAGE, "异议成立"),
        Transition("dismiss", {OS.INVESTIGATING}, OS.DISMISSED, HA.MANAGE, "异议不成立"),
    ),
    kinds={"create": "收到异议"},
)
