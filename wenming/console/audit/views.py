"""The audit log viewer: audit administrator only; every read of the log is itself audited."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wenming.accounts.roles import Action
from wenming.audit import labels
from wenming.audit.forms import AuditFilterForm
from wenming.audit.guards import missing_guards
from wenming.audit.models import AuditAction, AuditEvent, AuditOutcome
from wenming.audit.services import (
    anchor_problems,
    audit_record,
    current_head,
    event_intact,
    seal_pending,
    verify_report,
)
from wenming.exports.services import stream_csv
from wenming.web.gate import staff_view

ACTION_LABELS = dict(AuditAction.choices)
OUTCOME_LABELS = dict(AuditOutcome.choices)
OUTCOME_TAGS = {"success": "tag-ok", "failure": "tag-bad", "denied": "tag-warn"}
OBJECT_TYPE = "audit.AuditEvent"


def staff_audit_view(view):
    """Only the audit administrator (三员) reads the log; every other account is refused and recorded."""
    return staff_view(Action.AUDIT_VIEW, object_type=OBJECT_TYPE, message=_("只有审计管理员可以查阅审计日志"))(view)


def _decorate(ev: AuditEvent) -> AuditEvent:
    ev.action_label = ACTION_LABELS.get(ev.action, ev.action)
    ev.outcome_label = OUTCOME_LABELS.get(ev.outcome, ev.outcome)
    ev.outcome_tag = OUTCOME_TAGS.get(ev.outcome, "tag-muted")
    ev.object_type_label = labels.object_type_label(ev.object_type)
    return ev


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M:%S")


@staff_audit_view
def event_list(request):
    form = AuditFilterForm(request.GET or None)
    qs = AuditEvent.objects.order_by("-id")
    filters: dict[str, str] = {}
    if form.is_bound:
        if form.is_valid():
            qs = form.filter(qs)
            filters = form.as_filters()
        else:
            qs = qs.none()
    audit_record(
        AuditAction.AUDIT_READ,
        request=request,
        object_type=OBJECT_TYPE,
        detail={"view": "list", "filters": filters, "page": request.GET.get("page", "1")[:10]},
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for ev in page.object_list:
        _decorate(ev)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "filtered": bool(filters), "export_query": export_query.urlencode()},
    )


@staff_audit_view
def event_detail(request, pk: int):
    ev = get_object_or_404(AuditEvent, pk=pk)
    audit_record(AuditAction.AUDIT_READ, request=request, obj=ev, detail={"view": "detail"})
    _decorate(ev)
    intact = event_intact(ev)
    detail_items = labels.detail_items(ev.object_type, ev.detail)
    return render(request, "audit/detail.html", {"ev": ev, "intact": intact, "detail_items": detail_items})


@staff_audit_view
def event_export(request):
    """CSV of the filtered log through the one export mechanism (the export itself is audited)."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseRedirect(reverse("audit:list") + "?" + request.GET.urlencode())
    qs = AuditEvent.objects.order_by("-id")
    filters: dict[str, str] = {}
    if form.is_bound:
        qs, filters = form.filter(qs), form.as_filters()

    def rows():
        for ev in qs.iterator(chunk_size=2000):
            yield [
                ev.id,
                _local(ev.at),
                ev.actor_username,
                ev.ip,
                ACTION_LABELS.get(ev.action, ev.action),
                ev.object_type,
                ev.object_id,
                ev.object_repr,
                OUTCOME_LABELS.get(ev.outcome, ev.outcome),
                json.dumps(ev.detail, ensure_ascii=False, sort_keys=True),
                ev.hash,
            ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return stream_csv(
        request=request,
        filename=f"审计日志-{stamp}.csv",
        header=[
            "序号",
            "时间（UTC+08:00）",
            "用户",
            "来源IP",
            "事件",
            "对象类型",
            "对象ID",
            "对象",
            "结果",
            "详情",
            "哈希",
        ],
        rows=rows(),
        object_type=OBJECT_TYPE,
        filters=filters,
    )


@staff_audit_view
@require_http_methods(["GET", "POST"])
def chain_verify(request):
    """Run the chain verification on demand and show the result and the head to copy off-host."""
    ctx: dict[str, Any] = {"ran": False}
    if request.method == "POST":
        seal_pending()
        newest, anchor_issues = anchor_problems()
        report = verify_report(anchors=newest)
        problems = [(p.event_id, p.problem) for p in report.problems]
        problems += [(None, text) for text in anchor_issues]
        problems += [(None, f"防篡改触发器缺失或被停用：{name}") for name in missing_guards(connection)]
        audit_record(
            AuditAction.AUDIT_READ,
            request=request,
            object_type=OBJECT_TYPE,
            detail={"view": "verify", "checked": report.checked, "problems": len(problems)},
        )
        head = current_head()
        ctx = {
            "ran": True,
            "checked": report.checked,
            "problems": problems[:200],
            "problem_count": len(problems),
            "head": head,
            "head_json": json.dumps(head, ensure_ascii=False, sort_keys=True) if head else "",
            "ran_at": _local(timezone.now()),
        }
    return render(request, "audit/verify.html", ctx)
