"""Effect evaluation: did an activity, a pairing or a pilot goal move satisfaction (and the valid-
complaint rate) at the outlets involved, compared with comparable outlets?

Difference-in-differences over the monthly rollup::

    DiD = (treated_after − treated_before) − (control_after − control_before)

"before" is the ``months`` whole months before the month of the start date, "after" the ``months``
whole months after it (the start month itself is left out). Treated = the outlets of the subject's
units; control = the other outlets of the same cities that the user can see (when the subject covers
whole cities, the outlets of the other cities in scope). Each of the four means is
a mean of responses with variance s²/n, the four samples are independent, so
Var(DiD) = Σ s²ᵢ/nᵢ and the 95 % interval is DiD ± 1.96·√Var. Any cell with fewer than ``min_n``
responses (default 30) → "数据不足", no figure.

The valid-complaint rate (valid complaints per outlet and month, from
``wenming.complaints.selectors.valid_complaints_by_outlet``) gets the same DiD, with Poisson variances
(count / exposure²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from wenming.accounts.roles import Action
from wenming.organizations.models import Organization, Outlet

from .models import ScoreRollup
from .selectors import Z95, Sums

MONTHS = 3
MIN_N = 30


def _add_months(d: date, k: int) -> date:
    m = d.year * 12 + d.month - 1 + k
    return date(m // 12, m % 12 + 1, 1)


@dataclass
class Cell:
    n: int = 0
    mean: float | None = None
    variance: float | None = None


@dataclass
class RateCell:
    complaints: int = 0
    exposure: int = 0  # outlet-months

    @property
    def rate(self) -> float | None:
        return self.complaints / self.exposure if self.exposure else None


@dataclass
class Effect:
    ok: bool
    reason: str = ""
    start: date | None = None
    before: tuple[date, date] | None = None
    after: tuple[date, date] | None = None
    treated_outlets: int = 0
    control_outlets: int = 0
    cells: dict[str, Cell] = field(default_factory=dict)  # "t0", "t1", "c0", "c1"
    did: float | None = None
    ci: tuple[float, float] | None = None
    complaints: dict[str, Any] | None = None

    @property
    def treated_change(self) -> float | None:
        t0, t1 = self.cells.get("t0"), self.cells.get("t1")
        return t1.mean - t0.mean if t0 and t1 and t0.mean is not None and t1.mean is not None else None

    @property
    def control_change(self) -> float | None:
        c0, c1 = self.cells.get("c0"), self.cells.get("c1")
        return c1.mean - c0.mean if c0 and c1 and c0.mean is not None and c1.mean is not None else None

    @property
    def significant(self) -> bool:
        return bool(self.ci and (self.ci[0] > 0 or self.ci[1] < 0))


def outlets_of(orgs: list[Organization]) -> set[int]:
    ids: set[int] = set()
    for org in orgs:
        if org.kind == "outlet":
            ids.add(org.pk)
            continue
        part = Outlet.objects.filter(organization__path__startswith=org.path).values_list("pk", flat=True)
        ids.update(part)
    return ids


def _cell(qs: Any) -> Cell:
    agg = qs.aggregate(**{f: Sum(f) for f in ("n", "s", "ss")})
    s = Sums()
    s.add({k: v or 0 for k, v in agg.items()})
    return Cell(n=s.n, mean=s.mean, variance=s.variance)


def _complaints(
    treated: set[int], control: set[int], windows: dict[str, tuple[date, date]], months: int
) -> dict | None:
    try:
        # deferred: the complaints app is optional for this figure; without its selector the panel shows satisfaction only
        from wenming.complaints.selectors import valid_complaints_by_outlet
    except ImportError:
        return None
    cells: dict[str, RateCell] = {}
    for g, ids in (("t", treated), ("c", control)):
        for phase, (a, b) in (("0", windows["before"]), ("1", windows["after"])):
            counts = valid_complaints_by_outlet(sorted(ids), a, b)
            cells[g + phase] = RateCell(complaints=sum(counts.values()), exposure=len(ids) * months)
    if any(c.rate is None for c in cells.values()) or not any(c.complaints for c in cells.values()):
        return None  # no valid complaint anywhere in the windows: nothing to compare
    did = (cells["t1"].rate - cells["t0"].rate) - (cells["c1"].rate - cells["c0"].rate)
    var = sum(c.complaints / c.exposure**2 for c in cells.values())
    h = Z95 * math.sqrt(var)
    return {"cells": cells, "did": did, "ci": (did - h, did + h)}


def evaluate(
    *, user: Any, orgs: list[Organization], start: date | None, months: int = MONTHS, min_n: int = MIN_N
) -> Effect:
    if start is None:
        return Effect(ok=False, reason="尚无开始日期")
    month0 = start.replace(day=1)
    before = (_add_months(month0, -months), month0)
    after = (_add_months(month0, 1), _add_months(month0, 1 + months))
    eff = Effect(ok=False, start=start, before=before, after=after)
    treated = outlets_of(orgs)
    if not treated:
        eff.reason = "所涉单位下没有网点"
        return eff
    base = ScoreRollup.objects.visible_to(user, Action.VIEW)
    cities = set(base.filter(outlet_id__in=treated).values_list("city_code", flat=True).distinct())
    control_qs = base.filter(city_code__in=cities).exclude(outlet_id__in=treated)
    control = set(control_qs.values_list("outlet_id", flat=True).distinct())
    if not control:  # the subject covers whole cities: compare with the other cities in scope
        control_qs = base.exclude(outlet_id__in=treated)
        control = set(control_qs.values_list("outlet_id", flat=True).distinct())
    eff.treated_outlets, eff.control_outlets = len(treated), len(control)
    for g, qs in (("t", base.filter(outlet_id__in=treated)), ("c", control_qs)):
        for phase, (a, b) in (("0", before), ("1", after)):
            eff.cells[g + phase] = _cell(qs.filter(month__gte=a, month__lt=b))
    if any(c.n < min_n or c.variance is None for c in eff.cells.values()):
        eff.reason = "数据不足"
        return eff
    c = eff.cells
    eff.did = (c["t1"].mean - c["t0"].mean) - (c["c1"].mean - c["c0"].mean)
    var = sum(x.variance / x.n for x in c.values())
    h = Z95 * math.sqrt(var)
    eff.ci = (eff.did - h, eff.did + h)
    eff.ok = True
    if control:
        eff.complaints = _complaints(treated, control, {"before": before, "after": after}, months)
    return eff
