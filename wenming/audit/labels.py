"""How the audit log viewer names what a row records: object types, detail keys and their values.

The one table of detail-key labels (``DETAIL_LABELS``): every key any ``audit_record(detail=…)`` call
of the code base writes (and the workflow kernel's ``transition``/``from``/``to``) has a label here;
``wenming/audit/tests/test_labels.py`` scans the code and fails on a key without one. Object types
are named by their model's ``verbose_name``; values by the choices they come from where known
(workflow states and transitions, audit actions), else by ``VALUE_LABELS``, else shown as written.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TransitionEvent

DETAIL_LABELS: dict[str, Any] = {
    "anomaly": _("异常线索"),
    "application": _("申报"),
    "article": _("稿件"),
    "assignees": _("承办单位"),
    "assignments_added": _("新增分配"),
    "background": _("后台执行"),
    "ballot_cast": _("已投票"),
    "ballot_ids": _("选票编号"),
    "ballots": _("选票数"),
    "based_on": _("依据版本"),
    "batch": _("批次"),
    "before": _("截止时间"),
    "body": _("机构"),
    "bytes": _("字节数"),
    "candidate": _("候选人"),
    "cases": _("案件数"),
    "category": _("类别"),
    "change": _("变更"),
    "changed": _("变更项"),
    "channel": _("渠道"),
    "checked": _("已校验条数"),
    "committee_vote": _("评审委员会表决"),
    "consent": _("同意记录"),
    "counts": _("数量"),
    "cycle": _("评选周期"),
    "date": _("日期"),
    "days": _("天数"),
    "deadline": _("截止时间"),
    "decision_no": _("决定文号"),
    "declared_conflict": _("申报回避"),
    "devices": _("设备数"),
    "dismissed": _("已驳回"),
    "doc_number": _("文号"),
    "due": _("截止日期"),
    "duty": _("三员职责"),
    "entries_added": _("新增参评对象"),
    "evidence": _("证明材料"),
    "expert": _("专家"),
    "failures": _("失败次数"),
    "field": _("字段"),
    "fields": _("字段"),
    "filename": _("文件名"),
    "filters": _("筛选条件"),
    "for_bulletin": _("可编入简报"),
    "for_publication": _("可公开发布"),
    "format": _("格式"),
    "from": _("原值"),
    "from_version": _("原版本"),
    "holidays": _("节假日数"),
    "hours": _("时长"),
    "ip": _("来源IP"),
    "ip_throttle": _("来源IP限流"),
    "ip_throttles": _("来源IP限流记录"),
    "is_valid": _("是否有效"),
    "items": _("条目数"),
    "judging_round": _("评审轮次"),
    "kind": _("类别"),
    "limit": _("上限"),
    "login_records": _("登录记录"),
    "login_throttles": _("登录限流记录"),
    "makeup_days": _("调休上班日数"),
    "measured_hours": _("实测时长"),
    "medium": _("媒体类型"),
    "members": _("成员"),
    "modules": _("模块"),
    "move": _("调动"),
    "moved": _("已移动"),
    "moved_on": _("调动日期"),
    "n": _("数量"),
    "name": _("名称"),
    "needs": _("需要"),
    "nodes": _("节点数"),
    "note": _("备注"),
    "notice": _("公示"),
    "old": _("原值"),
    "old_due": _("原截止日期"),
    "op": _("操作"),
    "organization": _("单位"),
    "outlet": _("网点"),
    "owner": _("持有人"),
    "page": _("页码"),
    "panel": _("评审组"),
    "path": _("路径"),
    "photo": _("照片"),
    "photos": _("照片数"),
    "points": _("分值"),
    "poll": _("投票"),
    "prefix": _("前缀"),
    "present": _("出席"),
    "present_count": _("出席人数"),
    "problems": _("问题数"),
    "programme": _("评选项目"),
    "progress_mode": _("进度方式"),
    "question_added": _("新增题目"),
    "question_removed": _("删除题目"),
    "reason": _("原因"),
    "recheck": _("复查"),
    "records": _("记录数"),
    "reminded_units": _("已提醒单位"),
    "removed": _("删除数"),
    "requested": _("申请日期"),
    "result": _("结果"),
    "retention_days": _("保留天数"),
    "retention_years": _("保存年限"),
    "revision": _("修订版本"),
    "role": _("角色"),
    "rollback_to": _("回滚至"),
    "round": _("轮次"),
    "rows": _("行数"),
    "satisfaction": _("满意度"),
    "scheme": _("测评体系"),
    "seed": _("随机种子"),
    "self": _("本人操作"),
    "sessions": _("会话数"),
    "sha256": _("校验码"),
    "since": _("开始时间"),
    "size": _("规模"),
    "skipped": _("跳过数"),
    "source": _("来源"),
    "specimen": _("样章"),
    "stage": _("阶段"),
    "status": _("状态"),
    "step": _("步骤"),
    "tally": _("计票"),
    "target": _("目标"),
    "tasks": _("任务数"),
    "titles": _("称号"),
    "to": _("新值"),
    "total": _("合计"),
    "transition": _("操作"),
    "type": _("类型"),
    "unit": _("单位"),
    "until": _("截止时间"),
    "user": _("用户"),
    "user_sessions": _("用户会话"),
    "username": _("用户名"),
    "valid_to": _("有效期至"),
    "version": _("版本"),
    "view": _("查看页面"),
    "voted": _("已投票"),
    "votes": _("票数"),
    "year": _("年度"),
    "period": _("期间"),
    "indicators": _("考核指标"),
    "org": _("单位"),
    "via": _("途径"),
    "actions": _("权限动作"),
    "assignments": _("授权数"),
    "schedule": _("定时报告"),
    "fmt": _("格式"),
    "recipients": _("接收人"),
}

# Values that name an operation rather than data (``op``/``change``/``step``/``view``…).
VALUE_LABELS: dict[str, Any] = {
    "api_token_create": _("创建API令牌"),
    "api_token_revoke": _("吊销API令牌"),
    "create": _("创建"),
    "deactivate": _("停用"),
    "detail": _("详情"),
    "enrol": _("绑定"),
    "list": _("列表"),
    "reactivate": _("重新启用"),
    "reset": _("重置"),
    "retention_purge": _("保留期清理"),
    "seal": _("印章"),
    "verify": _("校验"),
}


def object_type_label(object_type: str) -> str:
    """The model's verbose name for ``app.Model`` (the raw text when it is not a model)."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def _choices(model: Any, name: str) -> list[tuple[str, str]]:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return []
    return [(str(k), str(v)) for k, v in field.flatchoices]


def _state_labels(object_type: str) -> tuple[dict[str, str], dict[str, str]]:
    """(state → label, transition → label): the object's own status choices first, then every model's.

    Transition labels come from the workflow history models (``core.models.TransitionEvent``), whose
    ``kind`` choices the workflow tables fill; the audit layer reads them from the models, not from the
    workflow package above it.
    """

    try:
        own = [apps.get_model(object_type)] if object_type else []
    except (LookupError, ValueError):
        own = []
    states: dict[str, str] = {}
    transitions: dict[str, str] = {}
    models = apps.get_models()
    for model in own + [m for m in models if m not in own]:
        for key, label in _choices(model, "status"):
            states.setdefault(key, label)
    events = [m for m in models if issubclass(m, TransitionEvent)]
    own_events = [m for m in events if any(f.related_model in own for f in m._meta.concrete_fields if f.is_relation)]
    for model in own_events + [m for m in events if m not in own_events]:
        for key, label in _choices(model, "kind"):
            transitions.setdefault(key, label)
    return states, transitions


def _value(key: str, value: Any, states: dict[str, str], transitions: dict[str, str]) -> str:
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, str):
        if key in ("from", "to", "status") and value in states:
            return gettext(states[value])
        if key == "transition" and value in transitions:
            return gettext(transitions[value])
        if value in VALUE_LABELS:
            return str(VALUE_LABELS[value])
        return value
    if isinstance(value, dict):
        return "；".join(f"{detail_label(k)}：{_value(str(k), v, states, transitions)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_value(key, v, states, transitions) for v in value)
    return json.dumps(value, ensure_ascii=False)


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


def detail_items(object_type: str, detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The detail of one audit row as (label, readable value) pairs, in key order."""
    if not detail:
        return []
    states, transitions = _state_labels(object_type)
    return [(detail_label(str(k)), _value(str(k), v, states, transitions)) for k, v in sorted(detail.items())]
