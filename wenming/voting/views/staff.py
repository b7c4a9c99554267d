"""Staff pages of voting: polls, the live monitor, candidates, offline votes, anomalies, the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, export_dt, list_page
from wenming.web.responses import done

from .. import engine, selectors, services
from ..forms import CandidateForm, OfflineForm, PollForm, ReasonForm
from ..models import Anomaly, Poll, Quarantine
from ..permissions import VotingAction as VA
from ..workflows import POLL_WORKFLOW

M = VA.MONITOR


POLL_EXPORT = ExportSpec(
    filename="网络投票",
    header=["投票名称", "主办单位", "开始时间", "截止时间", "状态"],
    row=lambda p: [p.title, p.organization.name, export_dt(p.opens_at), export_dt(p.closes_at), p.get_status_display()],
    object_type="voting.Poll",
)
ANOMALY_EXPORT = ExportSpec(
    filename="异常投票",
    header=["类型", "特征", "时段开始", "时段结束", "涉及选票", "状态"],
    row=lambda a: [
        a.get_kind_display(),
        a.key,
        export_dt(a.window_start),
        export_dt(a.window_end),
        a.ballots,
        a.get_status_display(),
    ],
    object_type="voting.Anomaly",
)


@staff_view(M)
def poll_list(request):
    return list_page(
        request,
        queryset=selectors.poll_list(user=request.user),
        template="voting/staff/poll_list.html",
        export=POLL_EXPORT,
        context={"can_manage": can(request, VA.MANAGE)},
    )


@staff_view(VA.MANAGE)
def poll_create(request):
    orgs = Organization.objects.visible_to(request.user, VA.MANAGE).filter(
        kind__in=["provincial_bureau", "city_bureau"]
    )
    form = PollForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            poll = services.poll_create(
                by=request.user,
                organization=d["organization"],
                title=d["title"],
                intro=d["intro"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
                ballots_per_day=d["ballots_per_day"],
                choices_per_ballot=d["choices_per_ballot"],
                show_live_counts=d["show_live_counts"],
                shuffle_candidates=d["shuffle_candidates"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("投票已创建，请添加候选人"))
            return redirect("voting:detail", pk=poll.pk)
    return render(
        request,
        "voting/staff/form.html",
        {"form": form, "heading": _("新建网络投票")},
        status=422 if request.method == "POST" else 200,
    )


@staff_view(M)
def poll_detail(request, pk: int):
    poll = get_scoped_or_404(request, Poll.objects.select_related("organization"), scope=M, pk=pk)
    rows = selectors.result_rows(poll)
    pending = 0
    if engine.engine() == "redis":
        try:
            pending = engine.pending_in_stream(poll.pk)
        except Exception:  # the monitor still shows the database's counts
            pending = -1
    return render(
        request,
        "voting/staff/poll_detail.html",
        {
            "poll": poll,
            "rows": rows,
            "totals": {k: sum(r[k] for r in rows) for k in ("online", "offline", "total")},
            "actions": POLL_WORKFLOW.available(poll, request.user),
            "ballots": poll.ballots.count(),
            "seals": poll.seals.count(),
            "open_anomalies": poll.anomalies.filter(status="open").count(),
            "pending": pending,
            "events": poll.events.select_related("by").order_by("-at", "-id")[:20],
            "can_manage": can(request, VA.MANAGE, poll),
            "can_export": can(request, VA.LEDGER_EXPORT, poll),
            "snapshot": getattr(poll, "snapshot", None) if poll.status in ("closed", "published") else None,
        },
    )


_TRANSITIONS = {
    "schedule": lambda poll, user, reason: services.poll_schedule(poll_id=poll.pk, by=user),
    "pause": lambda poll, user, reason: services.poll_pause(poll_id=poll.pk, by=user, reason=reason),
    "resume": lambda poll, user, reason: services.poll_resume(poll_id=poll.pk, by=user),
    "publish": lambda poll, user, reason: services.poll_publish(poll_id=poll.pk, by=user),
}


@staff_view(VA.MANAGE)
@require_POST
def poll_transition(request, pk: int, name: str):
    poll = get_scoped_or_404(request, Poll.objects, scope=M, pk=pk)
    fire = _TRANSITIONS.get(name)
    if fire is None:
        return redirect("voting:detail", pk=pk)
    try:
        fire(poll, request.user, request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成：%(a)s") % {"a": _(POLL_WORKFLOW.label(name))})
    return done(request, reverse("voting:detail", args=[pk]))


@staff_view(VA.MANAGE)
def candidate_add(request, pk: int):
    poll = get_scoped_or_404(request, Poll.objects, scope=VA.MANAGE, permission=VA.MANAGE, pk=pk)
    form = CandidateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.candidate_add(
                by=request.user,
                poll=poll,
                name=d["name"],
                unit=d["unit"],
                story=d["story"],
                consent=d["consent"],
                consent_note=d["consent_note"],
                photos=request.FILES.getlist("photos"),
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("候选人已添加"))
            return redirect("voting:detail", pk=poll.pk)
    return render(
        request,
        "voting/staff/form.html",
        {"form": form, "heading": _("添加候选人"), "poll": poll, "multipart": True},
        status=422 if request.method == "POST" else 200,
    )


@staff_view(VA.MANAGE)
@require_POST
def candidate_consent(request, pk: int, candidate_id: int):
    poll = get_scoped_or_404(request, Poll.objects, scope=VA.MANAGE, permission=VA.MANAGE, pk=pk)
    cand = get_object_or_404(poll.candidates, pk=candidate_id)
    try:
        services.candidate_consent(candidate_id=cand.pk, by=request.user, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录本人同意"))
    return done(request, reverse("voting:detail", args=[pk]))


@staff_view(VA.MANAGE)
def offline_add(request, pk: int):
    poll = get_scoped_or_404(request, Poll.objects, scope=VA.MANAGE, permission=VA.MANAGE, pk=pk)
    form = OfflineForm(request.POST or None, poll=poll)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.offline_add(by=request.user, poll=poll, **d)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("线下票已录入"))
            return redirect("voting:detail", pk=poll.pk)
    entries = selectors.offline_list(user=request.user, poll=poll)[:50]
    return render(
        request,
        "voting/staff/form.html",
        {"form": form, "heading": _("录入线下票"), "poll": poll, "entries": entries},
        status=422 if request.method == "POST" else 200,
    )


@staff_view(M)
def anomalies(request, pk: int):
    poll = get_scoped_or_404(request, Poll.objects, scope=M, pk=pk)
    return list_page(
        request,
        queryset=selectors.anomaly_list(user=request.user, poll=poll),
        template="voting/staff/anomalies.html",
        export=ANOMALY_EXPORT,
        context={
            "poll": poll,
            "quarantines": selectors.quarantine_list(user=request.user, poll=poll)[:20],
            "can_propose": can(request, VA.QUARANTINE_PROPOSE, poll),
            "can_decide": can(request, VA.QUARANTINE_DECIDE, poll),
        },
    )


@staff_view(VA.QUARANTINE_PROPOSE)
@require_POST
def anomaly_action(request, pk: int, action: str):
    anomaly = get_scoped_or_404(request, Anomaly.objects.select_related("poll"), scope=M, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "propose":
            services.quarantine_propose(anomaly_id=anomaly.pk, reason=reason, by=request.user)
            messages.success(request, _("已提请隔离，待审计管理员确认"))
        else:
            services.anomaly_dismiss(anomaly_id=anomaly.pk, reason=reason, by=request.user)
            messages.success(request, _("已排除"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return done(request, reverse("voting:anomalies", args=[anomaly.poll_id]))


@staff_view(VA.QUARANTINE_DECIDE)
@require_POST
def quarantine_decide(request, pk: int, action: str):
    q = get_scoped_or_404(request, Quarantine.objects.select_related("poll"), scope=M, pk=pk)
    try:
        if action == "approve":
            services.quarantine_approve(quarantine_id=q.pk, by=request.user)
            messages.success(request, _("选票已隔离，票数已扣除"))
        else:
            services.quarantine_reject(quarantine_id=q.pk, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("已不予隔离"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return done(request, reverse("voting:anomalies", args=[q.poll_id]))


@staff_view(VA.LEDGER_EXPORT)
def ledger(request, pk: int):
    poll = get_scoped_or_404(request, Poll.objects, scope=VA.LEDGER_EXPORT, permission=VA.LEDGER_EXPORT, pk=pk)
    export = ExportSpec(
        filename=f"投票台账-{poll.pk}",
        header=[
            "选票编号",
            "投票日期",
            "当日第几次",
            "投票时间",
            "投票人摘要",
            "网段",
            "设备特征",
            "新号码",
            "候选人编号",
        ],
        row=lambda b: [
            b.pk,
            b.vote_date.isoformat(),
            b.seq,
            b.cast_at.isoformat(timespec="seconds"),
            b.voter_key[:16],
            b.net,
            b.fingerprint,
            "是" if b.new_voter else "否",
            " ".join(f"{c.candidate.number:02d}" for c in b.choices.all()),
        ],
        object_type="voting.Ballot",
    )
    qs = selectors.ledger(user=request.user, poll=poll).prefetch_related("choices__candidate")
    return list_page(request, queryset=qs, template="voting/staff/ledger.html", export=export, context={"poll": poll})
