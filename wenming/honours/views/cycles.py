"""Cycles (评选批次): their dated stages, applications per stage, and the office's stage actions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization
from wenming.web.forms import form_error
from wenming.web.gate import can, check, staff_view
from wenming.web.lists import ExportSpec, export_date, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import StageKind
from ..forms import CommitteeStartForm, CycleForm, DesignateForm, NoticeForm, ScoringForm, TallyForm
from ..models import Cycle
from ..permissions import HonourAction as HA


def _apply_window(c) -> str:
    stages = [s for s in c.stage_rows.all() if s.code == "apply"]
    return "；".join(f"{export_date(s.starts_on)} – {export_date(s.ends_on)}" for s in stages)


CYCLE_EXPORT = ExportSpec(
    filename="评选批次",
    header=["名称", "项目", "级别", "申报时间", "申报数"],
    row=lambda c: [c.name, c.programme.name, c.get_level_display(), _apply_window(c), c.n_apps],
    object_type="honours.Cycle",
    catalogue=True,  # every applicant reads every cycle (selectors.cycle_list)
)


@staff_view()
def cycle_list(request):
    return list_page(
        request,
        queryset=selectors.cycle_list(user=request.user),
        template="honours/cycle_list.html",
        export=CYCLE_EXPORT,
        context={
            "can_manage": can(request, HA.MANAGE),
            "can_apply": can(request, HA.APPLY),
            "today": timezone.localdate(),
        },
    )


@staff_view(HA.MANAGE)
def cycle_create(request):
    form = CycleForm(
        request.POST or None, initial={"year": timezone.localdate().year, "starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        organizer = Organization.objects.filter(parent__isnull=True).order_by("path").first()
        try:
            cycle = services.cycle_create(
                programme=d["programme"],
                year=d["year"],
                level=d["level"],
                organizer=organizer,
                name=d["name"],
                edition=d.get("edition"),
                vote_weight=d.get("vote_weight"),
                stage_dates=services.default_stage_dates(d["programme"], d["starts_on"]),
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("评选批次已创建"))
            return redirect("honours:cycle-detail", pk=cycle.pk)
    return render(request, "honours/cycle_form.html", {"form": form}, status=422 if request.method == "POST" else 200)


def _get_cycle(pk: int) -> Cycle:
    cycle = Cycle.objects.select_related("programme", "organizer").prefetch_related("stage_rows").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


@staff_view()
def cycle_detail(request, pk: int):
    cycle = _get_cycle(pk)
    prog = cycle.programme
    apps = list(selectors.cycle_applications(cycle=cycle, user=request.user))
    per_stage = Counter(a.status for a in apps)
    today = timezone.localdate()
    is_office = can(request, HA.MANAGE, cycle)
    kinds = {s["code"]: s.get("kind") for s in prog.stages}
    waiting = {k: sum(n for code, n in per_stage.items() if kinds.get(code) == k) for k in StageKind.values}
    notice = services.latest_notice(cycle)
    stages = list(cycle.stage_rows.all())
    for s in stages:
        s.count = per_stage.get(s.code, 0)
    ctx = {
        "cycle": cycle,
        "prog": prog,
        "stages": stages,
        "apps": apps,
        "waiting": waiting,
        "is_office": is_office,
        "can_apply": can(request, HA.APPLY) and cycle.is_open(today),
        "notice": notice,
        "notices": list(cycle.notices.order_by("round")),
        "objections": list(selectors.objection_list(user=request.user).filter(notice__cycle=cycle))
        if is_office
        else [],
        "today": today,
        "notice_form": NoticeForm(initial={"starts_on": today}),
        "designate_form": DesignateForm(initial={"decision_date": today}),
        "tally_form": TallyForm(
            queryset=selectors.application_list(user=request.user).filter(
                cycle=cycle, status__in=[c for c, k in kinds.items() if k == StageKind.VOTE]
            )
        ),
        "scoring_form": ScoringForm(user=request.user, initial={"closes_on": today}) if is_office else None,
        "committee_form": CommitteeStartForm(user=request.user) if is_office else None,
        "round": services.scoring_round(cycle),
        "ranking": services.cycle_ranking(cycle),
        "vote": services.committee_vote(cycle),
        "votes_by_source": services.tally.votes_by_source(cycle) if waiting.get(StageKind.VOTE) else {},
    }
    return render(request, "honours/cycle_detail.html", ctx)


@staff_view(HA.MANAGE)
@require_POST
def cycle_action(request, pk: int, action: str):
    cycle = _get_cycle(pk)
    check(request, HA.MANAGE, cycle)
    url = reverse("honours:cycle-detail", args=[pk])
    try:
        if action == "eligibility":
            ok, bad = services.eligibility_run(cycle_id=pk, by=request.user)
            msg = _("资格审查完成：通过 %(ok)s 名，不符合条件 %(bad)s 名") % {"ok": ok, "bad": bad}
        elif action == "vote-close":
            n = services.vote_close(cycle_id=pk, by=request.user)
            msg = _("已汇总 %(n)s 名被推荐人的得票，进入专家评审") % {"n": n}
        elif action == "scoring-open":
            form = ScoringForm(request.POST, user=request.user)
            if not form.is_valid():
                raise ApplicationError(_("请选择测评体系并填写评分截止日期"))
            d = form.cleaned_data
            closes = timezone.make_aware(datetime.combine(d["closes_on"], time(23, 59)))
            rnd = services.scoring_open(
                cycle_id=pk, scheme=d["scheme"], panel=d["panel"], closes_at=closes, by=request.user
            )
            messages.success(request, _("已开启专家评审，请分配专家并开始评分"))
            return done(request, reverse("judging:round-detail", args=[rnd.pk]))
        elif action == "scoring-close":
            ok, bad = services.scoring_close(cycle_id=pk, by=request.user)
            msg = _("已采用专家评审结果：通过 %(ok)s 件，未通过 %(bad)s 件") % {"ok": ok, "bad": bad}
        elif action == "committee-open":
            form = CommitteeStartForm(request.POST, user=request.user)
            if not form.is_valid():
                raise ApplicationError(_("请选择表决成员并填写出席人数"))
            vote = services.committee_start(
                cycle_id=pk,
                members=list(form.cleaned_data["members"]),
                present_count=form.cleaned_data["present_count"],
                by=request.user,
            )
            messages.success(request, _("委员会表决已开始，请各成员投票"))
            return done(request, reverse("judging:committee-detail", args=[vote.pk]))
        elif action == "committee-record":
            yes, no = services.committee_record(cycle_id=pk, by=request.user)
            msg = _("已记录委员会表决结果：通过 %(y)s 件，未通过 %(n)s 件") % {"y": yes, "n": no}
        elif action == "notice":
            form = NoticeForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("请填写公示开始日期"))
            n = services.notice_publish(
                cycle_id=pk, by=request.user, starts_on=form.cleaned_data["starts_on"], text=form.cleaned_data["text"]
            )
            msg = _("已发布公示，公示期至 %(d)s") % {"d": n.ends_on}
        elif action == "designate":
            form = DesignateForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("请填写命名文号和日期"))
            titles = services.designate(cycle_id=pk, by=request.user, **form.cleaned_data)
            messages.success(request, _("已命名 %(n)s 个称号") % {"n": len(titles)})
            if not titles:
                return done(request, url)
            batch = services.certificates_issue(
                titles=titles, by=request.user, base_url=request.build_absolute_uri("/")
            )
            return done(request, reverse("certificates:batch", args=[batch.pk]), _("证书正在后台生成"))
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, msg)


@staff_view(HA.MANAGE)
@require_POST
def tally_add(request, pk: int):
    cycle = _get_cycle(pk)
    qs = selectors.application_list(user=request.user, action=HA.MANAGE).filter(cycle=cycle)
    form = TallyForm(request.POST, queryset=qs)
    url = reverse("honours:cycle-detail", args=[pk])
    if not form.is_valid():
        messages.error(request, _("请完整填写计票信息"))
        return done(request, url)
    d = form.cleaned_data
    try:
        services.tally_enter(
            application_id=d["application"].pk,
            votes=d["votes"],
            source=d["source"],
            batch_ref=d["batch_ref"],
            counted_on=d["counted_on"],
            by=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return done(request, url)
    return done(request, url, _("线下选票已录入"))
