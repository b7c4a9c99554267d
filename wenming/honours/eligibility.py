"""Eligibility rules as data: a programme lists rule codes with parameters; each code is a function
over platform data (the unit's couriers, the courier's record, the employer's licence, titles held).

``register_eligibility_rule(code, label, fn)`` adds a rule; ``fn(subject, **params)`` returns ``None``
when the rule passes or the reason (Chinese) when it fails. :func:`screen` evaluates a programme's list
and returns one result per rule, with the reason for every failed one.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from wenming.complaints.selectors import valid_complaints_by_outlet
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Enterprise, Organization
from wenming.people.models import Courier, CourierStatus, Gender

from .choices import Level, TitleStatus, lower_level
from .models import Title

RuleFn = Callable[..., str | None]


@dataclass(frozen=True)
class RuleDef:
    code: str
    label: str
    fn: RuleFn
    applies_to: str = "any"  # unit | person | any


_RULES: dict[str, RuleDef] = {}


def register_eligibility_rule(code: str, label: str, fn: RuleFn, *, applies_to: str = "any") -> RuleDef:
    rule = RuleDef(code=code, label=label, fn=fn, applies_to=applies_to)
    _RULES[code] = rule
    return rule


def rule_defs() -> dict[str, RuleDef]:
    return dict(_RULES)


@dataclass
class Subject:
    """What a rule reads: the unit (and its active couriers), the person, the leader, the date."""

    organization: Organization
    today: date
    level: str
    programme_id: int | None = None
    courier: Courier | None = None
    leader: Courier | None = None
    _members: list[Courier] | None = field(default=None, repr=False)

    @property
    def members(self) -> list[Courier]:
        if self._members is None:
            self._members = list(
                Courier.objects.in_subtree(self.organization.path)
                .filter(status=CourierStatus.ACTIVE)
                .only("gender", "birth_date")
            )
        return self._members


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    ok: bool
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "ok": self.ok, "reason": self.reason}


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def years_between(start: date, today: date) -> int:
    return age_on(start, today)


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


# --- the rules ----------------------------------------------------------------------------------------
def headcount(s: Subject, *, min: int = 6, max: int = 200) -> str | None:
    n = len(s.members)
    if n < min or n > max:
        return f"集体人数 {n} 人，须在 {min}–{max} 人之间"
    return None


def young_share(s: Subject, *, max_age: int = 35, min_pct: int = 50) -> str | None:
    n = len(s.members)
    young = sum(1 for c in s.members if age_on(c.birth_date, s.today) <= max_age)
    share = _pct(young, n)
    if n == 0 or share < min_pct:
        return f"{max_age} 周岁以下青年占 {share:.0f}%（{young}/{n} 人），须不低于 {min_pct}%"
    return None


def women_share(s: Subject, *, min_pct: int = 50) -> str | None:
    n = len(s.members)
    women = sum(1 for c in s.members if c.gender == Gender.FEMALE)
    share = _pct(women, n)
    if n == 0 or share < min_pct:
        return f"女职工占 {share:.0f}%（{women}/{n} 人），须不低于 {min_pct}%"
    return None


def leader_max_age(s: Subject, *, max_age: int = 40) -> str | None:
    if s.leader is None:
        return "未填写集体负责人"
    age = age_on(s.leader.birth_date, s.today)
    if age > max_age:
        return f"负责人年龄 {age} 周岁，须不超过 {max_age} 周岁"
    return None


def female_leader(s: Subject) -> str | None:
    if s.leader is None or s.leader.gender != Gender.FEMALE:
        return "须有至少 1 名女性负责人"
    return None


def prior_title(s: Subject, *, years: int = 1, level: str = "") -> str | None:
    want = level or lower_level(s.level)
    if not want:
        return None
    held = (
        Title.objects.filter(
            organization=s.organization,
            programme_id=s.programme_id,
            level=want,
            status__in=[TitleStatus.ACTIVE, TitleStatus.UNDER_REVIEW, TitleStatus.RECTIFYING],
        )
        .order_by("valid_from")
        .first()
    )
    label = dict(_level_labels()).get(want, want)
    if held is None:
        return f"未获得{label}称号"
    if years_between(held.valid_from, s.today) < years:
        return f"{label}称号获得于 {held.valid_from:%Y-%m-%d}，须满 {years} 年"
    return None


def _level_labels():
    return Level.choices


def _employer(courier: Courier) -> Enterprise | None:
    org = courier.outlet
    chain = [org, *org.ancestors().order_by("-depth")]
    for node in chain:
        if node.kind == OrgKind.ENTERPRISE:
            return Enterprise.objects.filter(organization=node).first()
    return None


def licensed_employer(s: Subject) -> str | None:
    if s.courier is None:
        return "未指定被推荐人"
    ent = _employer(s.courier)
    if ent is None or not ent.licence_no:
        return "所在企业未取得快递业务经营许可"
    if ent.licence_valid_to and ent.licence_valid_to < s.today:
        return f"所在企业经营许可已于 {ent.licence_valid_to:%Y-%m-%d} 到期"
    return None


def labour_contract(s: Subject) -> str | None:
    if s.courier is None or not s.courier.has_labour_contract:
        return "未与用人单位签订劳动合同"
    return None


def delivery_years(s: Subject, *, min_years: int = 2) -> str | None:
    if s.courier is None:
        return "未指定被推荐人"
    y = years_between(s.courier.started_delivery_on, s.today)
    if y < min_years:
        return f"从事收投工作 {y} 年（自 {s.courier.started_delivery_on:%Y-%m-%d}），须满 {min_years} 年"
    return None


def in_post(s: Subject) -> str | None:
    if s.courier is None or s.courier.status != CourierStatus.ACTIVE:
        return "被推荐人不在岗"
    return None


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when that day does not exist)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(y, m + 1, min(day.day, monthrange(y, m + 1)[1]))


def no_valid_complaint(s: Subject, *, months: int = 12, max: int = 0) -> str | None:
    """No more than ``max`` valid complaints (有效申诉) in the last ``months`` months: against the courier's
    outlet for a person, against every outlet of the unit's subtree for a unit (complaints name outlets)."""
    if s.courier is not None:
        outlet_ids = [s.courier.outlet_id]
    else:
        outlet_ids = list(
            Organization.objects.filter(path__startswith=s.organization.path, kind=OrgKind.OUTLET).values_list(
                "pk", flat=True
            )
        )
    start = months_before(s.today, months)
    n = sum(valid_complaints_by_outlet(outlet_ids, start, s.today + timedelta(days=1)).values())
    if n > max:
        return f"近 {months} 个月（自 {start:%Y-%m-%d}）有效申诉 {n} 件，须不超过 {max} 件"
    return None


register_eligibility_rule("headcount", "集体人数", headcount, applies_to="unit")
register_eligibility_rule("young_share", "青年占比", young_share, applies_to="unit")
register_eligibility_rule("women_share", "女职工占比", women_share, applies_to="unit")
register_eligibility_rule("leader_max_age", "负责人年龄", leader_max_age, applies_to="unit")
register_eligibility_rule("female_leader", "女性负责人", female_leader, applies_to="unit")
register_eligibility_rule("prior_title", "下一级称号", prior_title, applies_to="unit")
register_eligibility_rule("licensed_employer", "企业持证经营", licensed_employer, applies_to="person")
register_eligibility_rule("labour_contract", "劳动合同", labour_contract, applies_to="person")
register_eligibility_rule("delivery_years", "从业年限", delivery_years, applies_to="person")
register_eligibility_rule("in_post", "在岗", in_post, applies_to="person")
register_eligibility_rule("no_valid_complaint", "无有效申诉", no_valid_complaint)


def describe(code: str, params: dict[str, Any]) -> str:
    rule = _RULES.get(code)
    label = rule.label if rule else code
    if params:
        label += "（" + "，".join(f"{k}={v}" for k, v in params.items()) + "）"
    return label


def screen(rules: list[dict[str, Any]], subject: Subject) -> list[RuleResult]:
    out = []
    for row in rules:
        code = str(row.get("code", ""))
        params = dict(row.get("params") or {})
        rule = _RULES.get(code)
        if rule is None:
            out.append(RuleResult(code, code, False, f"未知的资格条件“{code}”"))
            continue
        reason = rule.fn(subject, **params)
        out.append(RuleResult(code, rule.label, reason is None, reason or ""))
    return out
