"""Writes of the honours engine. Keyword-only, ``by=`` the acting user; every state change runs through
``workflow.engine.perform`` (history + audit), other security-relevant writes through ``audit_record``.

Spine: cycle → application (draft, evidence, screening) → the programme's review chain (city review →
province review → expert scoring → committee → 公示) → designation (title + certificate) → dynamic
management (复查, warning, rectification, downgrade, revocation, expiry).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.accounts.roles import roles_with
from wenming.activities import selectors as activity_selectors
from wenming.activities.choices import ActivityStatus, VolunteerRecordStatus
from wenming.activities.models import Activity, VolunteerRecord
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import pii, uploads
from wenming.core.errors import ApplicationError
from wenming.judging import selectors as judging_selectors
from wenming.judging import services as judging
from wenming.judging.choices import CommitteeStatus, RoundStatus
from wenming.judging.models import CommitteeVote, Round
from wenming.organizations.models import Organization
from wenming.organizations.services import issuing_bureau
from wenming.workbench.services import notify, notify_many
from wenming.workdays.services import add_working_days, next_working_day
from wenming.workflow import policy
from wenming.workflow.engine import perform, record_event

from . import eligibility, tally
from .choices import (
    AppStatus,
    CommitteeResult,
    EvidenceKind,
    ObjectionStatus,
    RecheckKind,
    RecheckResult,
    StageKind,
    SubjectKind,
    TitleStatus,
)
from .models import (
    Application,
    Cycle,
    CycleStage,
    Evidence,
    Notice,
    Objection,
    OfflineTally,
    PointsEntry,
    Programme,
    Recheck,
    Title,
)
from .permissions import HonourAction as HA
from .rules import APPLICANT
from .workflows import OBJECTION_WORKFLOW, TITLE_WORKFLOW

TWO = Decimal("0.01")
EVIDENCE_KINDS = [uploads.IMAGE, uploads.DOCUMENT]


def _today() -> date:
    return timezone.localdate()


def _q(v: Decimal | float | int) -> Decimal:
    return Decimal(str(v)).quantize(TWO, rounding=ROUND_HALF_UP)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


# --- cycles -----------------------------------------------------------------------------------------
@transaction.atomic
def cycle_create(
    *,
    programme: Programme,
    year: int,
    level: str,
    organizer: Organization,
    name: str,
    stage_dates: dict[str, tuple[date, date]],
    by: Any,
    edition: int | None = None,
    vote_weight: Decimal | None = None,
) -> Cycle:
    """A cycle with its dated stages: ``apply`` (the 申报/推荐 window) and each of the programme's stages."""
    policy.require(by, HA.MANAGE, organizer)
    if Cycle.objects.filter(programme=programme, year=year, level=level).exists():
        raise ApplicationError(_("该项目本年度同级别的评选已存在"), field="year")
    if vote_weight is not None and not (Decimal("0") <= vote_weight <= Decimal("1")):
        raise ApplicationError(_("投票权重须在 0 到 1 之间"), field="vote_weight")
    cycle = Cycle.objects.create(
        programme=programme,
        year=year,
        edition=edition,
        level=level,
        organizer=organizer,
        name=name,
        vote_weight=vote_weight,
    )
    rows = [("apply", _("申报推荐")), *[(s["code"], s["label"]) for s in programme.stages]]
    prev_end = None
    for i, (code, label) in enumerate(rows):
        if code not in stage_dates:
            raise ApplicationError(_("请填写“%(stage)s”环节的起止日期") % {"stage": label}, field="stages")
        start, end = stage_dates[code]
        if end < start or (prev_end and start < prev_end):
            raise ApplicationError(_("“%(stage)s”环节的日期须在前一环节之后且不早于开始日期") % {"stage": label})
        prev_end = end
        CycleStage.objects.create(cycle=cycle, order=i, code=code, label=label, starts_on=start, ends_on=end)
    audit_record(AuditAction.CREATE, user=by, obj=cycle, detail={"programme": programme.code, "year": year})
    return cycle


def default_stage_dates(programme: Programme, start: date) -> dict[str, tuple[date, date]]:
    """Consecutive stage windows from ``start`` (30 days to apply, 15 per stage, the 公示 in working days)."""
    out: dict[str, tuple[date, date]] = {"apply": (start, start + timedelta(days=29))}
    cur = start + timedelta(days=30)
    for s in programme.stages:
        out[s["code"]] = (cur, cur + timedelta(days=14))
        cur += timedelta(days=15)
    return out


# --- applications -------------------------------------------------------------------------------------
def _check_window(cycle: Cycle) -> None:
    today = _today()
    w = cycle.window()
    if w is None or not (w.starts_on <= today <= w.ends_on):
        if w is None:
            raise ApplicationError(_("本批次未设置申报时间"))
        raise ApplicationError(_("不在申报时间内（%(start)s 至 %(end)s）") % {"start": w.starts_on, "end": w.ends_on})


def _check_subject(cycle: Cycle, organization: Organization, courier: Any, leader: Any) -> None:
    prog = cycle.programme
    if prog.subject == SubjectKind.PERSON and courier is None:
        raise ApplicationError(_("请选择被推荐人"), field="courier")
    if courier is not None and not courier.outlet.path.startswith(organization.path):
        raise ApplicationError(_("被推荐人不属于申报单位"), field="courier")
    if leader is not None and not leader.outlet.path.startswith(organization.path):
        raise ApplicationError(_("负责人须是本单位人员"), field="leader")


def _check_rank(app: Application) -> None:
    prog = app.cycle.programme
    if not prog.recommender_quota:
        return
    if prog.ranked:
        if app.rank is None:
            raise ApplicationError(_("请填写推荐排序"), field="rank")
        if not 1 <= app.rank <= prog.recommender_quota:
            raise ApplicationError(_("推荐排序须在 1 至 %(n)s 之间") % {"n": prog.recommender_quota}, field="rank")
    if app.rank is not None:
        clash = (
            Application.objects.filter(cycle=app.cycle, recommender=app.recommender, rank=app.rank)
            .exclude(pk=app.pk)
            .first()
        )
        if clash is not None:
            raise ApplicationError(
                _("排序 %(rank)s 已被“%(name)s”使用") % {"rank": app.rank, "name": clash.name}, field="rank"
            )


def _check_quota(app: Application) -> None:
    prog = app.cycle.programme
    if not prog.recommender_quota:
        return
    taken = (
        Application.objects.filter(cycle=app.cycle, recommender=app.recommender)
        .exclude(status__in=[AppStatus.DRAFT, AppStatus.REJECTED])
        .exclude(pk=app.pk)
        .count()
    )
    if taken >= prog.recommender_quota:
        raise ApplicationError(
            _("每个推荐单位限报 %(n)s 名，%(unit)s 已报满")
            % {"n": prog.recommender_quota, "unit": app.recommender.name if app.recommender else ""},
            field="rank",
        )


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    keep = ("name", "statement", "courier", "leader", "rank", "category", "star")
    return {k: data[k] for k in keep if k in data}


@transaction.atomic
def application_create(*, cycle: Cycle, organization: Organization, data: dict[str, Any], by: Any) -> Application:
    """A draft application (unit) or nomination (person) of ``organization`` in ``cycle``."""
    app = Application(cycle=cycle, organization=organization, created_by=by, **_fields(data))
    policy.require(by, APPLICANT, app)
    _check_window(cycle)
    _check_subject(cycle, organization, app.courier, app.leader)
    if app.courier is not None and not app.name:
        app.name = app.courier.name
    app.recommender = issuing_bureau(organization) or organization
    _check_rank(app)
    app.save()
    record_event(cycle.programme.workflow, app, "create", by=by)
    audit_record(AuditAction.CREATE, user=by, obj=app, detail={"cycle": cycle.pk})
    return app


@transaction.atomic
def application_update(*, application_id: int, data: dict[str, Any], by: Any) -> Application:
    app = (
        Application.objects.select_for_update()
        .select_related("cycle__programme", "organization")
        .get(pk=application_id)
    )
    policy.require(by, APPLICANT, app)
    if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        raise ApplicationError(_("已提交的申报不能修改"))
    for k, v in _fields(data).items():
        setattr(app, k, v)
    _check_subject(app.cycle, app.organization, app.courier, app.leader)
    _check_rank(app)
    app.save()
    audit_record(AuditAction.UPDATE, user=by, obj=app, detail={"fields": sorted(_fields(data))})
    return app


def subject_of(app: Application, today: date | None = None) -> eligibility.Subject:
    return eligibility.Subject(
        organization=app.organization,
        today=today or _today(),
        level=app.cycle.level,
        programme_id=app.cycle.programme_id,
        courier=app.courier,
        leader=app.leader,
    )


def screen(app: Application) -> list[eligibility.RuleResult]:
    """Evaluate the programme's rules over platform data (not saved)."""
    return eligibility.screen(list(app.cycle.programme.rules), subject_of(app))


def _screen_fields(app: Application) -> dict[str, Any]:
    results = screen(app)
    return {
        "eligibility": [r.as_dict() for r in results],
        "eligible": all(r.ok for r in results),
        "screened_at": timezone.now(),
    }


def _reasons(results: list[dict[str, Any]]) -> str:
    return "；".join(f"{r['label']}：{r['reason']}" for r in results if not r["ok"])


def _missing_evidence(app: Application) -> list[str]:
    have = set(app.evidence.values_list("requirement", flat=True))
    return [str(e["label"]) for e in app.cycle.programme.evidence if e.get("required") and e["code"] not in have]


def application_submit(*, application_id: int, by: Any) -> Application:
    """提交 (or 补正后重新提交): inside the window; screened (an honour application that fails a rule is
    refused with the reason of every failed rule; a nomination is screened again at the eligibility
    stage); required evidence attached; the recommender's quota and rank respected."""
    app = Application.objects.select_related("cycle__programme").get(pk=application_id)
    wf = app.cycle.programme.workflow
    name = "resubmit" if app.status == AppStatus.RETURNED else "submit"

    def prepare(obj: Application, t: Any) -> dict[str, Any]:
        _check_window(obj.cycle)
        fields = _screen_fields(obj)
        if not obj.cycle.programme.is_selection and not fields["eligible"]:
            raise ApplicationError(_("不符合申报条件：") + _reasons(fields["eligibility"]))
        missing = _missing_evidence(obj)
        if missing:
            raise ApplicationError(_("请补齐必备材料：") + "、".join(missing))
        _check_rank(obj)
        _check_quota(obj)
        return {**fields, "submitted_at": timezone.now()}

    return perform(wf, app.pk, name, by=by, prepare=prepare).obj


def _notify_applicant(app: Application, title: str, body: str = "") -> None:
    if app.created_by_id:
        notify(
            recipient=app.created_by,
            title=title,
            body=body,
            url=_url("honours:application-detail", app.pk),
            category="荣誉评选",
        )


def application_decide(*, application_id: int, decision: str, by: Any, comment: str = "") -> Application:
    """A reviewer's decision at a review stage: 通过 (advance), 退回补正 (return), 不予通过 (reject)."""
    app = Application.objects.select_related("cycle__programme").get(pk=application_id)
    if app.stage_kind != StageKind.REVIEW:
        raise ApplicationError(_("此环节不逐件审核"))
    if decision not in ("advance", "return", "reject"):
        raise ApplicationError(_("未知的审核结论"))
    if decision in ("return", "reject") and not comment.strip():
        raise ApplicationError(_("退回或不予通过须填写意见"), field="comment")
    wf = app.cycle.programme.workflow

    def after(obj: Application, outcome: Any) -> None:
        label = wf.label(decision) if decision != "advance" else outcome.transition.label
        _notify_applicant(obj, f"{obj.name}：{label}", comment)

    return perform(wf, app.pk, decision, by=by, comment=comment, fields={"last_comment": comment}, after=after).obj


# --- evidence -------------------------------------------------------------------------------------------
def _editable(app: Application, by: Any) -> None:
    policy.require(by, APPLICANT, app)
    if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        raise ApplicationError(_("已提交的申报不能再添加材料"))


@transaction.atomic
def evidence_upload(*, application_id: int, upload: Any, requirement: str, label: str, by: Any) -> Evidence:
    app = (
        Application.objects.select_for_update()
        .select_related("cycle__programme", "organization")
        .get(pk=application_id)
    )
    _editable(app, by)
    clean = uploads.check_file(upload, kinds=EVIDENCE_KINDS, field="file")
    name = uploads.save(clean, prefix="honours/evidence")
    ev = Evidence.objects.create(
        application=app,
        requirement=requirement,
        kind=EvidenceKind.FILE,
        file=name,
        original_name=clean.original_name,
        sha256=clean.sha256,
        label=label or str(upload.name)[:200],
        added_by=by,
    )
    audit_record(AuditAction.CREATE, user=by, obj=app, detail={"evidence": ev.pk, "kind": "file"})
    return ev


def record_choices(app: Application, user: Any) -> dict[str, list[Any]]:
    """The unit's own activity records, pairings and volunteer events the user may reuse as evidence."""
    path = app.organization.path
    acts = (
        activity_selectors.activity_list(user=user)
        .filter(organization__path__startswith=path, status=ActivityStatus.VERIFIED)
        .order_by("-starts_at")[:50]
    )
    pairings = activity_selectors.pairing_list(user=user).filter(organization__path__startswith=path)[:50]
    events = activity_selectors.volunteer_event_list(user=user).filter(organization__path__startswith=path)[:50]
    return {"activity": list(acts), "pairing": list(pairings), "volunteer": list(events)}


@transaction.atomic
def evidence_reuse(*, application_id: int, kind: str, record_id: int, requirement: str, by: Any) -> Evidence:
    """Attach a platform record (activity, pairing, volunteer event) of the unit as evidence."""
    app = (
        Application.objects.select_for_update()
        .select_related("cycle__programme", "organization")
        .get(pk=application_id)
    )
    _editable(app, by)
    path = app.organization.path
    if kind == EvidenceKind.ACTIVITY:
        rec = (
            activity_selectors.activity_list(user=by)
            .filter(organization__path__startswith=path, status=ActivityStatus.VERIFIED, pk=record_id)
            .first()
        )
        extra = {"activity": rec}
    elif kind == EvidenceKind.PAIRING:
        rec = activity_selectors.pairing_list(user=by).filter(organization__path__startswith=path, pk=record_id).first()
        extra = {"pairing": rec}
    elif kind == EvidenceKind.VOLUNTEER:
        rec = (
            activity_selectors.volunteer_event_list(user=by)
            .filter(organization__path__startswith=path, pk=record_id)
            .first()
        )
        extra = {"volunteer_event": rec}
    else:
        raise ApplicationError(_("未知的材料来源"), field="kind")
    if rec is None:
        raise ApplicationError(_("只能引用本单位已核实的记录"), field="record")
    ev = Evidence.objects.create(
        application=app, requirement=requirement, kind=kind, label=str(rec)[:200], added_by=by, **extra
    )
    audit_record(AuditAction.CREATE, user=by, obj=app, detail={"evidence": ev.pk, "kind": kind})
    return ev


@transaction.atomic
def evidence_remove(*, evidence_id: int, by: Any) -> None:
    ev = Evidence.objects.select_related("application__cycle__programme", "application__organization").get(
        pk=evidence_id
    )
    _editable(ev.application, by)
    audit_record(AuditAction.DELETE, user=by, obj=ev.application, detail={"evidence": ev.pk})
    ev.delete()


# --- office stages over a whole cycle -------------------------------------------------------------------
def _in_stage(cycle: Cycle, kind: str) -> list[Application]:
    codes = [s["code"] for s in cycle.programme.stages if s.get("kind") == kind]
    return list(
        Application.objects.filter(cycle=cycle, status__in=codes)
        .select_related("cycle__programme", "organization", "courier")
        .order_by("rank", "id")
    )


def eligibility_run(*, cycle_id: int, by: Any) -> tuple[int, int]:
    """资格审查: screen every nomination at the eligibility stage; eligible ones go on, the others are
    rejected with the reason of every failed rule. Returns (passed, rejected)."""
    cycle = Cycle.objects.select_related("programme").get(pk=cycle_id)
    passed = rejected = 0
    with transaction.atomic():
        for app in _in_stage(cycle, StageKind.ELIGIBILITY):
            fields = _screen_fields(app)
            if fields["eligible"]:
                perform(cycle.programme.workflow, app.pk, "advance", by=by, fields=fields)
                passed += 1
            else:
                reason = _("资格审查未通过：") + _reasons(fields["eligibility"])
                perform(
                    cycle.programme.workflow,
                    app.pk,
                    "reject",
                    by=by,
                    comment=reason,
                    fields={**fields, "last_comment": reason},
                    after=lambda obj, o, r=reason: _notify_applicant(obj, f"{obj.name}：{_('资格审查未通过')}", r),
                )
                rejected += 1
    return passed, rejected


def vote_close(*, cycle_id: int, by: Any) -> int:
    """公众投票结束: the tallies of every registered source are written on the nominations, which go on
    to the expert review."""
    cycle = Cycle.objects.select_related("programme").get(pk=cycle_id)
    votes = tally.votes_by_nominee(cycle)
    n = 0
    with transaction.atomic():
        for app in _in_stage(cycle, StageKind.VOTE):
            perform(cycle.programme.workflow, app.pk, "advance", by=by, fields={"vote_count": votes.get(app.pk, 0)})
            n += 1
    return n


@transaction.atomic
def tally_enter(
    *, application_id: int, votes: int, source: str, batch_ref: str, counted_on: date, by: Any
) -> OfflineTally:
    """Offline ballots (paper, newspaper) for one nominee, with their provenance."""
    app = Application.objects.select_related("cycle__programme").get(pk=application_id)
    policy.require(by, HA.MANAGE, app)
    if app.stage_kind != StageKind.VOTE:
        raise ApplicationError(_("只能在公众投票环节录入选票"))
    if votes < 0:
        raise ApplicationError(_("票数不能为负"), field="votes")
    if not batch_ref.strip():
        raise ApplicationError(_("请填写选票批次编号"), field="batch_ref")
    row = OfflineTally.objects.create(
        application=app, votes=votes, source=source, batch_ref=batch_ref.strip(), counted_on=counted_on, entered_by=by
    )
    audit_record(
        AuditAction.CREATE,
        user=by,
        obj=app,
        detail={"tally": row.pk, "votes": votes, "source": source, "batch": batch_ref},
    )
    return row


def combined_scores(
    votes: dict[int, int], means: dict[int, Decimal], weight: Decimal
) -> dict[int, tuple[Decimal, Decimal]]:
    """最美快递员: vote score = votes ÷ the top candidate's votes × 100; final = vote score × w + expert
    mean × (1 − w). Returns {application id: (vote score, final score)}."""
    top = max(votes.values(), default=0)
    out = {}
    for app_id, mean in means.items():
        vs = Decimal(votes.get(app_id, 0)) * 100 / top if top else Decimal(0)
        out[app_id] = (_q(vs), _q(vs * weight + Decimal(mean) * (1 - weight)))
    return out


def assign_categories(programme: Programme, ranked: list[Application]) -> dict[int, str]:
    """Fill the award categories in order with the ranked candidates: persons into the person categories,
    teams into the team categories; a category marked ``manual`` (special award) is given by hand."""
    out: dict[int, str] = {}
    for cat in programme.categories:
        if cat.get("manual"):
            continue
        wants_person = cat.get("subject", SubjectKind.PERSON) == SubjectKind.PERSON
        room = int(cat.get("quota") or 0)
        for app in ranked:
            if room <= 0:
                break
            if app.pk in out or bool(app.courier_id) != wants_person:
                continue
            out[app.pk] = str(cat["code"])
            room -= 1
    return out


# --- 公示 and objections --------------------------------------------------------------------------------
def notice_end(starts_on: date, workdays: int) -> date:
    """The last day of a 公示 of ``workdays`` working days starting on (the first working day from)
    ``starts_on``."""
    first = next_working_day(starts_on)
    return add_working_days(first, max(workdays, 1) - 1)


def latest_notice(cycle: Cycle) -> Notice | None:
    return cycle.notices.order_by("-round").first()


@transaction.atomic
def notice_publish(*, cycle_id: int, by: Any, starts_on: date | None = None, text: str = "") -> Notice:
    """Publish the applications at the 公示 stage (round N+1 after an earlier round: 二次公示)."""
    cycle = Cycle.objects.select_for_update().select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    entries = _in_stage(cycle, StageKind.NOTICE)
    if not entries:
        raise ApplicationError(_("没有进入公示环节的申报"))
    today = _today()
    prev = latest_notice(cycle)
    if prev is not None and prev.ends_on >= today:
        raise ApplicationError(_("上一轮公示尚未结束"))
    prog = cycle.programme
    start = next_working_day(starts_on or today)
    notice = Notice.objects.create(
        cycle=cycle,
        round=(prev.round + 1) if prev else 1,
        starts_on=start,
        ends_on=notice_end(start, prog.notice_workdays),
        phone=prog.supervision_phone or cycle.organizer.contact_phone or "12305",
        email=prog.supervision_email or "",
        text=text,
        published_by=by,
    )
    notice.entries.set(entries)
    audit_record(
        AuditAction.CREATE, user=by, obj=notice, detail={"cycle": cycle.pk, "round": notice.round, "n": len(entries)}
    )
    return notice


def _office_users(cycle: Cycle) -> list[Any]:
    User = get_user_model()
    prefixes = [cycle.organizer.path[: i + 1] for i, ch in enumerate(cycle.organizer.path) if ch == "."]
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=roles_with(HA.MANAGE),
            role_assignments__organization__path__in=prefixes,
        ).distinct()
    )


@transaction.atomic
def objection_submit(*, notice_id: int, application_id: int, name: str, phone: str, content: str) -> Objection:
    """A real-name objection from the public page (the caller rate-limits it)."""
    notice = Notice.objects.select_related("cycle__programme").get(pk=notice_id)
    if not notice.is_running(_today()):
        raise ApplicationError(_("公示期已结束，不再受理异议"))
    app = notice.entries.filter(pk=application_id).first()
    if app is None:
        raise ApplicationError(_("请选择公示名单中的对象"), field="application")
    name = (name or "").strip()
    if len(name) < 2:
        raise ApplicationError(_("请填写真实姓名"), field="name")
    if len((content or "").strip()) < 10:
        raise ApplicationError(_("请具体说明异议的事实和理由（不少于 10 个字）"), field="content")
    obj = Objection(notice=notice, application=app, content=content.strip())
    try:
        obj.set_person(name, phone)
    except pii.ParseError as exc:
        raise ApplicationError(str(exc), field="phone") from exc
    obj.save()
    record_event(OBJECTION_WORKFLOW, obj, "create", by=None)
    audit_record(AuditAction.CREATE, obj=obj, detail={"notice": notice.pk, "application": app.pk})
    notify_many(
        recipients=_office_users(notice.cycle),
        title=_("收到公示异议：%(name)s") % {"name": app.name},
        url=_url("honours:objection-detail", obj.pk),
        category="荣誉评选",
    )
    return obj


def objection_investigate(*, objection_id: int, by: Any) -> Objection:
    return perform(OBJECTION_WORKFLOW, objection_id, "investigate", by=by).obj


def objection_decide(*, objection_id: int, upheld: bool, finding: str, by: Any) -> Objection:
    """异议成立 (the entry is withdrawn from the 公示 and rejected) or 不成立; the finding is recorded."""
    if not finding.strip():
        raise ApplicationError(_("请填写调查结论"), field="finding")
    with transaction.atomic():
        out = perform(
            OBJECTION_WORKFLOW,
            objection_id,
            "uphold" if upheld else "dismiss",
            by=by,
            comment=finding,
            fields={"finding": finding},
        )
        obj = out.obj
        if upheld:
            app = Application.objects.select_related("cycle__programme").get(pk=obj.application_id)
            if app.stage_kind == StageKind.NOTICE:
                reason = _("公示期间异议经调查成立：") + finding
                perform(
                    app.cycle.programme.workflow,
                    app.pk,
                    "reject",
                    by=by,
                    comment=reason,
                    fields={"last_comment": reason},
                )
        return obj


# --- designation ---------------------------------------------------------------------------------------
def _valid_to(start: date, years: int) -> date | None:
    if not years:
        return None
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def designate(*, cycle_id: int, decision_no: str, decision_date: date, by: Any) -> list[Title]:
    """命名: after the 公示 (ended, no objection open) every entry still at the 公示 stage is designated
    by the decision document; each gets its title (level, star, term)."""
    cycle = Cycle.objects.select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    if not decision_no.strip():
        raise ApplicationError(_("请填写命名文号"), field="decision_no")
    notice = latest_notice(cycle)
    today = _today()
    if notice is None:
        raise ApplicationError(_("尚未公示，不能命名"))
    if notice.ends_on >= today:
        raise ApplicationError(_("公示期至 %(d)s，期满后方可命名") % {"d": notice.ends_on})
    if Objection.objects.filter(
        notice__cycle=cycle, status__in=[ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING]
    ).exists():
        raise ApplicationError(_("仍有未办结的异议"))
    prog = cycle.programme
    titles: list[Title] = []
    with transaction.atomic():
        for app in _in_stage(cycle, StageKind.NOTICE):
            if not notice.entries.filter(pk=app.pk).exists():
                continue  # 未经公示

            def after(obj: Application, outcome: Any) -> None:
                title = Title.objects.create(
                    programme=prog,
                    level=cycle.level,
                    star=obj.star,
                    category=obj.category,
                    organization=obj.organization,
                    courier=obj.courier,
                    application=obj,
                    holder=obj.courier.name if obj.courier_id else obj.name,
                    conferred_by=prog.conferring_body,
                    decision_no=decision_no.strip(),
                    decision_date=decision_date,
                    valid_from=decision_date,
                    valid_to=_valid_to(decision_date, prog.validity_years),
                )
                record_event(TITLE_WORKFLOW, title, "create", by=by, comment=decision_no)
                titles.append(title)
                _notify_applicant(obj, _("%(name)s 已获命名：%(prog)s") % {"name": obj.name, "prog": prog.name})

            perform(prog.workflow, app.pk, "advance", by=by, comment=decision_no, after=after)
        cycle.decision_no, cycle.decision_date = decision_no.strip(), decision_date
        cycle.save(update_fields=["decision_no", "decision_date", "updated_at"])
        audit_record(
            AuditAction.DECISION, user=by, obj=cycle, detail={"decision_no": decision_no, "titles": len(titles)}
        )
    return titles


# --- dynamic management ---------------------------------------------------------------------------------
def platform_figures(title: Title, today: date) -> dict[str, Any]:
    """What the platform knows about a titled unit over the last 12 months (light check)."""
    since = today - timedelta(days=365)
    path = title.organization.path
    acts = Activity.objects.in_subtree(path).filter(status=ActivityStatus.VERIFIED, starts_at__date__gte=since).count()
    hours = (
        VolunteerRecord.objects.in_subtree(path)
        .filter(status=VolunteerRecordStatus.APPROVED, check_in_at__date__gte=since)
        .aggregate(h=Sum("hours"))["h"]
    )
    points = title.points.filter(on__gte=since).aggregate(p=Sum("points"))["p"] or 0
    return {"activities": acts, "volunteer_hours": str(hours or 0), "points": points, "since": since.isoformat()}


def recheck_open(*, title_id: int, today: date | None = None) -> Recheck:
    """The system opens the year's 复查 (light; full in the term's last year) with a self-check deadline."""
    today = today or _today()
    title = Title.objects.select_related("programme", "organization").get(pk=title_id)
    kind = RecheckKind.FULL if title.valid_to and title.valid_to.year == today.year else RecheckKind.LIGHT
    with transaction.atomic():
        perform(TITLE_WORKFLOW, title.pk, "recheck_open", by=None)
        rc = Recheck.objects.create(
            title=title,
            year=today.year,
            kind=kind,
            opened_on=today,
            due_on=next_working_day(today + timedelta(days=title.programme.self_check_days)),
            platform_data=platform_figures(title, today),
        )
    return rc


def _open_recheck(title: Title) -> Recheck | None:
    return title.rechecks.order_by("-year", "-id").first()


@transaction.atomic
def recheck_self_report(*, title_id: int, text: str, by: Any) -> Recheck:
    title = Title.objects.select_for_update().select_related("organization").get(pk=title_id)
    policy.require(by, HA.APPLY, title)
    rc = _open_recheck(title)
    if title.status != TitleStatus.UNDER_REVIEW or rc is None or rc.result != RecheckResult.OPEN:
        raise ApplicationError(_("当前没有待提交的自查"))
    if len(text.strip()) < 20:
        raise ApplicationError(_("自查报告不少于 20 个字"), field="text")
    rc.self_report, rc.reported_at, rc.result = text.strip(), timezone.now(), RecheckResult.REPORTED
    rc.save(update_fields=["self_report", "reported_at", "result"])
    record_event(TITLE_WORKFLOW, title, "self_report", by=by)
    audit_record(AuditAction.UPDATE, user=by, obj=title, detail={"recheck": rc.pk})
    return rc


def _set_result(title: Title, result: str, note: str) -> None:
    rc = _open_recheck(title)
    if rc is not None:
        rc.result, rc.note = result, note
        rc.save(update_fields=["result", "note"])


def recheck_decide(*, title_id: int, decision: str, note: str, by: Any) -> Title:
    """复查结论: 通过 (recheck_pass), 警告提醒并限期整改 (warn: 30 days by default)."""
    if decision not in ("recheck_pass", "warn"):
        raise ApplicationError(_("未知的复查结论"))
    if decision == "warn" and not note.strip():
        raise ApplicationError(_("警告须写明问题和整改要求"), field="note")
    title = Title.objects.select_related("programme").get(pk=title_id)

    def prepare(obj: Title, t: Any) -> dict[str, Any]:
        rc = _open_recheck(obj)
        if decision == "recheck_pass" and (rc is None or rc.result != RecheckResult.REPORTED):
            raise ApplicationError(_("单位尚未提交自查报告"))
        if decision == "warn":
            return {"rectify_due": _today() + timedelta(days=title.programme.rectification_days)}
        return {}

    def after(obj: Title, outcome: Any) -> None:
        _set_result(obj, RecheckResult.PASSED if decision == "recheck_pass" else RecheckResult.WARNED, note)

    return perform(TITLE_WORKFLOW, title.pk, decision, by=by, comment=note, prepare=prepare, after=after).obj


def rectification_decide(*, title_id: int, decision: str, note: str, by: Any) -> Title:
    """整改复核: 整改通过 (rectified), 调整星级 (downgrade: one star less), 撤销称号 (revoke)."""
    if decision not in ("rectified", "downgrade", "revoke"):
        raise ApplicationError(_("未知的复核结论"))
    if decision != "rectified" and not note.strip():
        raise ApplicationError(_("请写明理由"), field="note")
    title = Title.objects.get(pk=title_id)
    if title.status != TitleStatus.RECTIFYING:
        raise ApplicationError(_("称号不在整改期"))
    if decision == "revoke":
        return title_revoke(title_id=title_id, reason=note, by=by)

    def prepare(obj: Title, t: Any) -> dict[str, Any]:
        if decision == "downgrade":
            if obj.star <= 1:
                raise ApplicationError(_("已是最低星级，不能再下调；如未整改到位请撤销称号"))
            return {"star": obj.star - 1, "rectify_due": None}
        return {"rectify_due": None}

    def after(obj: Title, outcome: Any) -> None:
        _set_result(obj, RecheckResult.RECTIFIED if decision == "rectified" else RecheckResult.DOWNGRADED, note)

    return perform(TITLE_WORKFLOW, title.pk, decision, by=by, comment=note, prepare=prepare, after=after).obj


def title_revoke(*, title_id: int, reason: str, by: Any) -> Title:
    """撤销称号（摘牌）: the title leaves the honour roll; the plaque is recovered."""
    if not reason.strip():
        raise ApplicationError(_("请写明撤销理由"), field="note")

    def after(obj: Title, outcome: Any) -> None:
        _set_result(obj, RecheckResult.REVOKED, reason)

    return perform(
        TITLE_WORKFLOW, title_id, "revoke", by=by, comment=reason, fields={"rectify_due": None}, after=after
    ).obj


@transaction.atomic
def points_add(*, title_id: int, points: int, reason: str, on: date, by: Any) -> PointsEntry:
    title = Title.objects.select_for_update().get(pk=title_id)
    policy.require(by, HA.REVIEW, title)
    if not points:
        raise ApplicationError(_("分值不能为 0"), field="points")
    if not reason.strip():
        raise ApplicationError(_("请填写事由"), field="reason")
    row = PointsEntry.objects.create(title=title, points=points, reason=reason.strip(), on=on, by=by)
    record_event(TITLE_WORKFLOW, title, "points", by=by, comment=f"{points:+d} {reason.strip()}")
    audit_record(AuditAction.CREATE, user=by, obj=title, detail={"points": points})
    return row


def titles_tick(*, today: date | None = None) -> dict[str, int]:
    """The daily job: expiry, missed self-check deadlines (deemed withdrawal), and the year's 复查."""
    today = today or _today()
    done = {"expired": 0, "missed": 0, "opened": 0}
    live = [TitleStatus.ACTIVE, TitleStatus.UNDER_REVIEW, TitleStatus.RECTIFYING]
    for t in Title.objects.filter(status__in=live, valid_to__lt=today).only("pk"):
        perform(TITLE_WORKFLOW, t.pk, "expire", by=None)
        done["expired"] += 1
    for rc in Recheck.objects.filter(
        result=RecheckResult.OPEN, due_on__lt=today, title__status=TitleStatus.UNDER_REVIEW
    ).select_related("title"):
        with transaction.atomic():
            perform(TITLE_WORKFLOW, rc.title_id, "withdraw_missed", by=None, comment=f"自查截止 {rc.due_on}")
            rc.result = RecheckResult.MISSED
            rc.save(update_fields=["result"])
        done["missed"] += 1
    for t in Title.objects.filter(
        status=TitleStatus.ACTIVE, programme__yearly_recheck=True, valid_from__year__lt=today.year
    ).exclude(rechecks__year=today.year):
        anniversary = (
            t.valid_from.replace(year=today.year)
            if not (t.valid_from.month == 2 and t.valid_from.day == 29)
            else date(today.year, 2, 28)
        )
        if anniversary <= today:
            recheck_open(title_id=t.pk, today=today)
            done["opened"] += 1
    return done


# --- expert scoring and the committee (through the judging engine) ------------------------------------
def subject_key(app: Application) -> str:
    return f"honours.application:{app.pk}"


def scoring_round(cycle: Cycle) -> Round | None:
    return Round.objects.filter(pk=int(cycle.judging_round)).first() if cycle.judging_round.isdigit() else None


def committee_vote(cycle: Cycle) -> CommitteeVote | None:
    return (
        CommitteeVote.objects.filter(pk=int(cycle.committee_round)).first() if cycle.committee_round.isdigit() else None
    )


def scoring_open(
    *, cycle_id: int, scheme: Any, closes_at: Any, by: Any, panel: Any = None, opens_at: Any = None
) -> Round:
    """专家评审: a judging round over the applications at the scoring stage (one entry each, keyed
    ``honours.application:<id>``); the organiser assigns experts and starts scoring on the judging pages."""
    cycle = Cycle.objects.select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    if scoring_round(cycle) is not None and not _in_stage(cycle, StageKind.SCORING):
        raise ApplicationError(_("本批次的专家评审已结束"))
    if scoring_round(cycle) is not None:
        raise ApplicationError(_("本批次已开启专家评审"))
    apps = _in_stage(cycle, StageKind.SCORING)
    if not apps:
        raise ApplicationError(_("没有进入专家评审环节的申报"))
    with transaction.atomic():
        rnd = judging.open_round(
            scheme=scheme,
            title=f"{cycle.name}·{_('专家评审')}"[:100],
            organization=cycle.organizer,
            entries=[
                judging.EntrySpec(
                    subject_key=subject_key(a),
                    label=a.public_name,
                    organization=a.organization,
                    summary=a.statement[:500],
                )
                for a in apps
            ],
            opens_at=opens_at or timezone.now(),
            closes_at=closes_at,
            by=by,
            panel=panel,
        )
        cycle.judging_round = str(rnd.pk)
        cycle.save(update_fields=["judging_round", "updated_at"])
        audit_record(AuditAction.UPDATE, user=by, obj=cycle, detail={"judging_round": rnd.pk})
    return rnd


def cycle_ranking(cycle: Cycle) -> list[Any]:
    rnd = scoring_round(cycle)
    return judging_selectors.ranking(rnd) if rnd is not None else []


def scoring_close(*, cycle_id: int, by: Any) -> tuple[int, int]:
    """Take the round's result once scoring has ended (frozen): the mean of the experts who were not
    excluded becomes the application's expert score. An honour application passes at or above the
    scheme's pass mark (no veto); a selection ranks by the combined score (votes × w + experts × (1 − w))
    and fills the award categories by quota. Returns (passed, not passed)."""
    cycle = Cycle.objects.select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    rnd = scoring_round(cycle)
    if rnd is None:
        raise ApplicationError(_("尚未开启专家评审"))
    if rnd.status not in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        raise ApplicationError(_("专家评分尚未结束"))
    rows = {r.entry.subject_key: r for r in judging_selectors.ranking(rnd)}
    apps = _in_stage(cycle, StageKind.SCORING)
    prog = cycle.programme
    wf = prog.workflow
    passed = failed = 0
    with transaction.atomic():
        if prog.is_selection:
            means = {a.pk: (rows[subject_key(a)].mean or Decimal(0)) for a in apps if subject_key(a) in rows}
            votes = {a.pk: a.vote_count or 0 for a in apps}
            scores = combined_scores(votes, means, cycle.weight)
            ranked = sorted([a for a in apps if a.pk in scores], key=lambda a: (-scores[a.pk][1], a.pk))
            cats = assign_categories(prog, ranked)
            for pos, a in enumerate(ranked, start=1):
                vs, final = scores[a.pk]
                fields = {"expert_mean": _q(means[a.pk]), "vote_score": vs, "final_score": final, "position": pos}
                if a.pk in cats:
                    perform(wf, a.pk, "advance", by=by, fields={**fields, "category": cats[a.pk]})
                    passed += 1
                else:
                    perform(wf, a.pk, "reject", by=by, comment=_("综合得分未进入奖项名额"), fields=fields)
                    failed += 1
        else:
            for a in apps:
                row = rows.get(subject_key(a))
                mean = row.mean if row is not None else None
                fields = {
                    "expert_mean": _q(mean) if mean is not None else None,
                    "position": row.position if row else None,
                }
                if row is not None and row.passed:
                    perform(wf, a.pk, "advance", by=by, fields=fields)
                    passed += 1
                else:
                    why = "；".join(row.veto_reasons) if row is not None and row.vetoed else ""
                    reason = _("专家评审未达合格分（%(mark)s 分）") % {"mark": rnd.scheme.pass_mark}
                    perform(wf, a.pk, "reject", by=by, comment=f"{reason}{('：' + why) if why else ''}", fields=fields)
                    failed += 1
    return passed, failed


def committee_start(*, cycle_id: int, members: list[Any], present_count: int, by: Any) -> CommitteeVote:
    """评审委员会: a secret-ballot vote (quorum: more than half present) over the applications at the
    committee stage, through the judging engine; members cast their ballots on its pages."""
    cycle = Cycle.objects.select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    if committee_vote(cycle) is not None:
        raise ApplicationError(_("本批次已发起委员会表决"))
    apps = _in_stage(cycle, StageKind.COMMITTEE)
    if not apps:
        raise ApplicationError(_("没有进入评审委员会环节的申报"))
    rnd = scoring_round(cycle)
    entries = {e.subject_key: e for e in rnd.entries.all()} if rnd else {}
    with transaction.atomic():
        vote = judging.committee_open(
            title=f"{cycle.name}·{_('评审委员会表决')}"[:100],
            organization=cycle.organizer,
            members=members,
            present_count=present_count,
            items=[
                judging.BallotSpec(subject_key=subject_key(a), label=a.public_name, entry=entries.get(subject_key(a)))
                for a in apps
            ],
            by=by,
            round=rnd,
        )
        cycle.committee_round = str(vote.pk)
        cycle.save(update_fields=["committee_round", "updated_at"])
        audit_record(AuditAction.UPDATE, user=by, obj=cycle, detail={"committee_vote": vote.pk})
    return vote


def committee_record(*, cycle_id: int, by: Any) -> tuple[int, int]:
    """Close the ballot (if still open) and record the outcome on each application: adopted ones go to
    the 公示, the others are rejected with the count. Returns (adopted, not adopted)."""
    cycle = Cycle.objects.select_related("programme", "organizer").get(pk=cycle_id)
    policy.require(by, HA.MANAGE, cycle)
    vote = committee_vote(cycle)
    if vote is None:
        raise ApplicationError(_("尚未发起委员会表决"))
    with transaction.atomic():
        if vote.status == CommitteeStatus.VOTING:
            vote = judging.committee_close(vote_id=vote.pk, by=by)
        elif vote.status != CommitteeStatus.CLOSED:
            raise ApplicationError(_("委员会表决尚未开始"))
        result = judging_selectors.committee_result(vote)
        by_key = {i.item.subject_key: i for i in result.items}
        wf = cycle.programme.workflow
        yes = no = 0
        for a in _in_stage(cycle, StageKind.COMMITTEE):
            item = by_key.get(subject_key(a))
            if item is None:
                continue
            note = _("出席 %(p)s 人：同意 %(y)s，不同意 %(n)s，弃权 %(a)s") % {
                "p": result.present,
                "y": item.yes,
                "n": item.no,
                "a": item.abstain,
            }
            if item.passed:
                perform(
                    wf,
                    a.pk,
                    "advance",
                    by=by,
                    comment=note,
                    fields={"committee_result": CommitteeResult.ADOPTED, "committee_note": note},
                )
                yes += 1
            else:
                perform(
                    wf,
                    a.pk,
                    "reject",
                    by=by,
                    comment=note,
                    fields={"committee_result": CommitteeResult.NOT_ADOPTED, "committee_note": note},
                )
                no += 1
    return yes, no
