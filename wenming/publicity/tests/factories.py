"""Rows in a given state, for the publicity tests and the transition cases (written directly, no kernel)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from wenming.publicity.choices import ConsentScope, ExemplarKind, NoticeTarget
from wenming.publicity.models import Exemplar, Notice, Suggestion, ValueStatement

_n = {"s": 0}


def exemplar(org, status: str = "draft", *, consent: bool = True, name: str = "张晓明", **over: Any) -> Exemplar:
    data = {
        "organization": org,
        "kind": ExemplarKind.PERSON,
        "name": name,
        "headline": "扎根社区八年的暖心快递员",
        "honours": "2025年度辽宁省最美快递员\n沈阳市青年岗位能手",
        "deeds": "八年来投递零差错，坚持为社区独居老人送件上门。",
        "status": status,
    }
    if consent:
        data.update(
            consent_by=name,
            consent_at=timezone.now() - timedelta(days=3),
            consent_scope=ConsentScope.MASKED,
            consent_note="书面同意书已存档",
        )
    if status == "published":
        data["published_at"] = timezone.now() - timedelta(days=1)
    data.update(over)
    return Exemplar.objects.create(**data)


def notice(org, status: str = "draft", *, target: str = NoticeTarget.CITY_BUREAUS, **over: Any) -> Notice:
    return Notice.objects.create(
        organization=org,
        title=over.pop("title", "关于开展2026年度最美快递员推荐工作的通知"),
        body="请各市局于12月20日前报送推荐名单。",
        target=target,
        status=status,
        **over,
    )


def suggestion(org, status: str = "submitted", **over: Any) -> Suggestion:
    _n["s"] += 1
    data = {
        "organization": org,
        "number": f"JY2026-T{_n['s']:04d}",
        "source": "courier",
        "topic": "service",
        "title": "建议在老旧小区增设智能快件箱",
        "content": "老旧小区没有快递柜，老人取件不便，建议与社区合作增设。",
        "submitter_name": "张晓明",
        "status": status,
    }
    if status in ("answered", "adopted", "not_adopted"):
        data.update(answer="已协调企业在三个小区试点。", answered_at=timezone.now())
    if status == "adopted":
        data["adopted_at"] = timezone.now()
    data.update(over)
    return Suggestion.objects.create(**data)


def values(org, status: str = "draft", version: int = 1, **over: Any) -> ValueStatement:
    data = {
        "organization": org,
        "version": version,
        "core_values": "诚信、服务、规范、共享",
        "mission": "让每一件快递安全、准时送达",
        "vision": "成为百姓信赖的寄递企业",
        "spirit": "快捷、敬业、奉献",
        "code_of_conduct": "文明用语、规范操作、爱护快件。",
        "status": status,
    }
    if status == "approved":
        data["approved_at"] = timezone.now()
    data.update(over)
    return ValueStatement.objects.create(**data)
