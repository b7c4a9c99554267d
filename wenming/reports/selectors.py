"""The numbers of the reports, by city, composed from every module's ``visible_to`` querysets.

Each figure starts from the owning module's selector (so the reader's data scope applies: a city
bureau's report holds only its own city) and is grouped by the ``city_code`` of the owning unit. No
per-city aggregate is added to another module's selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum

from wenming.accounts.roles import Action
from wenming.activities import selectors as activities
from wenming.activities.choices import ActivityStatus, VolunteerRecordStatus
from wenming.complaints import selectors as complaints
from wenming.exports.models import GeneratedFile
from wenming.honours import selectors as honours
from wenming.honours.choices import AppStatus, Level, ProgrammeKind
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.plans import selectors as plans
from wenming.plans.choices import WorkTaskStatus
from wenming.publicity import selectors as publicity
from wenming.surveys import selectors as surveys

from .models import ReportSchedule
from .periods import ReportPeriod

TZ = ZoneInfo("Asia/Shanghai")
LEVELS = [Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.ENTERPRISE]
REPORT_KINDS_PREFIX = "reports."


def _aware(d, *, end: bool = False) -> datetime:
    if end:
        d = d + timedelta(days=1)
    return datetime.combine(d, time.min, tzinfo=TZ)


@dataclass
class CityRow:
    code: str
    name: str
    activities: int = 0
    participants: int = 0
    volunteers: int = 0
    volunteer_times: int = 0
    hours: Decimal = Decimal("0.0")
    titles: dict[str, int] = field(default_factory=lambda: {lv.value: 0 for lv in LEVELS})
    zuimei_nominees: int = 0
    zuimei_awarded: int = 0
    responses: int = 0
    score_n: int = 0
    score_sum: int = 0
    complaints: int = 0
    valid_complaints: int = 0
    reply_overdue: int = 0
    items: int = 0
    coverage: int = 0
    reach: int = 0
    tasks_due: int = 0
    tasks_on_time: int = 0

    @property
    def satisfaction(self) -> float | None:
        return round(self.score_sum / self.score_n / 10, 2) if self.score_n else None

    @property
    def valid_ppm(self) -> float | None:
        return round(self.valid_complaints / self.items * 1_000_000, 2) if self.items else None

    @property
    def on_time_pct(self) -> float | None:
        return round(100 * self.tasks_on_time / self.tasks_due, 1) if self.tasks_due else None

    @property
    def titles_total(self) -> int:
        return sum(self.titles.values())


@dataclass
class CityStats:
    period: ReportPeriod
    rows: list[CityRow]
    total: CityRow


def report_cities(user: Any) -> list[Organization]:
    """The city bureaus whose numbers the user may read: all 14 for the province, else the user's own."""
    visible = list(
        Organization.objects.visible_to(user, Action.VIEW)
        .filter(kind=OrgKind.CITY_BUREAU, is_active=True)
        .order_by("code", "pk")
    )
    if visible:
        return visible
    codes = set(
        Organization.objects.visible_to(user, Action.VIEW).exclude(city_code="").values_list("city_code", flat=True)
    )
    return list(Organization.objects.filter(kind=OrgKind.CITY_BUREAU, code__in=codes).order_by("code"))


def _grouped(qs: QuerySet, key: str, **agg: Any) -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in qs.order_by().values(key).annotate(**agg)}


def city_stats(user: Any, period: ReportPeriod) -> CityStats:
    """Every report figure per city for ``period``, read in the user's scope (about ten grouped queries)."""
    start, end = period.start, period.end
    cities = report_cities(user)
    rows = {c.code: CityRow(code=c.code, name=c.short_name or c.name) for c in cities}

    acts = activities.activity_list(user=user).filter(
        status=ActivityStatus.VERIFIED, starts_at__gte=_aware(start), starts_at__lt=_aware(end, end=True)
    )
    for code, r in _grouped(acts, "organization__city_code", n=Count("id"), people=Sum("participant_count")).items():
        if code in rows:
            rows[code].activities, rows[code].participants = r["n"], r["people"] or 0

    vols = activities.volunteer_records(user=user, status=VolunteerRecordStatus.APPROVED, date_from=start, date_to=end)
    for code, r in _grouped(
        vols,
        "signup__event__organization__city_code",
        times=Count("id"),
        hours=Sum("hours"),
        people=Count("signup__name", distinct=True),
    ).items():
        if code in rows:
            row = rows[code]
            row.volunteer_times, row.volunteers = r["times"], r["people"]
            row.hours = Decimal(r["hours"] or 0).quantize(Decimal("0.1"))

    titles = honours.title_list(user=user).filter(decision_date__gte=start, decision_date__lte=end)
    for r in titles.order_by().values("organization__city_code", "level").annotate(n=Count("id")):
        if r["organization__city_code"] in rows and r["level"] in rows[r["organization__city_code"]].titles:
            rows[r["organization__city_code"]].titles[r["level"]] += r["n"]
    for code, r in _grouped(
        titles.filter(programme__kind=ProgrammeKind.SELECTION), "organization__city_code", n=Count("id")
    ).items():
        if code in rows:
            rows[code].zuimei_awarded = r["n"]
    nominees = (
        honours.application_list(user=user)
        .filter(cycle__programme__kind=ProgrammeKind.SELECTION, cycle__year__gte=start.year, cycle__year__lte=end.year)
        .exclude(status=AppStatus.DRAFT)
    )
    for code, r in _grouped(nominees, "organization__city_code", n=Count("id")).items():
        if code in rows:
            rows[code].zuimei_nominees = r["n"]

    rolls = surveys.rollups(user=user).filter(month__gte=start, month__lte=end)
    for code, r in _grouped(rolls, "city_code", responses=Sum("responses"), n=Sum("n"), s=Sum("s")).items():
        if code in rows:
            rows[code].responses, rows[code].score_n, rows[code].score_sum = (
                r["responses"] or 0,
                r["n"] or 0,
                r["s"] or 0,
            )

    comps = complaints.complaint_list(user=user).filter(received_on__gte=start, received_on__lte=end)
    for code, r in _grouped(
        comps,
        "city_code",
        n=Count("id"),
        valid=Count("id", filter=Q(is_valid=True)),
        overdue=Count("id", filter=Q(reply_overdue=True)),
    ).items():
        if code in rows:
            rows[code].complaints, rows[code].valid_complaints, rows[code].reply_overdue = (
                r["n"],
                r["valid"],
                r["overdue"],
            )
    vols_items = complaints.volume_list(user=user).filter(month__gte=start, month__lte=end)
    for code, r in _grouped(vols_items, "enterprise__city_code", items=Sum("items")).items():
        if code in rows:
            rows[code].items = r["items"] or 0

    cov = publicity.coverage_list(user=user).filter(published_on__gte=start, published_on__lte=end)
    for code, r in _grouped(cov, "organization__city_code", n=Count("id"), reach=Sum("reach")).items():
        if code in rows:
            rows[code].coverage, rows[code].reach = r["n"], r["reach"] or 0

    tasks = (
        plans.task_list(user=user)
        .filter(original_due_date__gte=start, original_due_date__lte=end)
        .exclude(status__in=[WorkTaskStatus.CANCELLED, WorkTaskStatus.DRAFT, WorkTaskStatus.APPROVED])
    )
    for r in tasks.order_by().values("assignee__city_code", "original_due_date", "reported_at"):
        code = r["assignee__city_code"]
        if code not in rows:
            continue
        rows[code].tasks_due += 1
        if r["reported_at"] and r["reported_at"].astimezone(TZ).date() <= r["original_due_date"]:
            rows[code].tasks_on_time += 1

    ordered = [rows[c.code] for c in cities]
    return CityStats(period=period, rows=ordered, total=_total(ordered))


def _total(rows: list[CityRow]) -> CityRow:
    t = CityRow(code="", name="合计")
    for r in rows:
        for f in (
            "activities",
            "participants",
            "volunteers",
            "volunteer_times",
            "hours",
            "zuimei_nominees",
            "zuimei_awarded",
            "responses",
            "score_n",
            "score_sum",
            "complaints",
            "valid_complaints",
            "reply_overdue",
            "items",
            "coverage",
            "reach",
            "tasks_due",
            "tasks_on_time",
        ):
            setattr(t, f, getattr(t, f) + getattr(r, f))
        for lv, n in r.titles.items():
            t.titles[lv] += n
    return t


def generated_reports(*, user: Any) -> QuerySet[GeneratedFile]:
    """The user's own generated report files (a file belongs to the one who asked for it)."""
    return GeneratedFile.objects.filter(owner=user, kind__startswith=REPORT_KINDS_PREFIX)


def schedule_list(*, user: Any, action: str = Action.VIEW) -> QuerySet[ReportSchedule]:
    return ReportSchedule.objects.visible_to(user, action).select_related("organization", "created_by")
