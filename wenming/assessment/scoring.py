"""Scoring rules: turn one indicator's values for the 14 cities into points (pure functions)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .choices import ScoringRule

TWO = Decimal("0.01")
WEIGHT_TOTAL = Decimal("100")


def _q(x: Decimal) -> Decimal:
    return x.quantize(TWO, rounding=ROUND_HALF_UP)


def linear_points(values: dict[int, Decimal | None], *, weight: Decimal, higher_is_better: bool) -> dict[int, Decimal]:
    """``weight × (v − worst) / (best − worst)`` over the cities that have a value; no value scores 0.

    When every city that has a value has the same one, each gets the full weight (nobody is behind).
    """
    present = [v for v in values.values() if v is not None]
    if not present:
        return {k: Decimal(0) for k in values}
    lo, hi = min(present), max(present)
    out: dict[int, Decimal] = {}
    for k, v in values.items():
        if v is None:
            out[k] = Decimal(0)
        elif hi == lo:
            out[k] = _q(weight)
        else:
            share = (v - lo) / (hi - lo) if higher_is_better else (hi - v) / (hi - lo)
            out[k] = _q(weight * share)
    return out


def target_points(
    values: dict[int, Decimal | None], *, weight: Decimal, target: Decimal | None, higher_is_better: bool
) -> dict[int, Decimal]:
    """Higher is better: ``weight × min(v / target, 1)``; lower is better: full weight at or below the
    target, else ``weight × target / v``. No value (or no target) scores 0."""
    out: dict[int, Decimal] = {}
    for k, v in values.items():
        if v is None or target is None:
            out[k] = Decimal(0)
        elif higher_is_better:
            out[k] = _q(weight) if target <= 0 else _q(weight * min(max(v, Decimal(0)) / target, Decimal(1)))
        elif v <= target:
            out[k] = _q(weight)
        else:
            out[k] = _q(weight * (max(target, Decimal(0)) / v))
    return out


def points_for(
    rule: str,
    values: dict[int, Decimal | None],
    *,
    weight: Decimal,
    target: Decimal | None,
    higher_is_better: bool,
) -> dict[int, Decimal]:
    if rule == ScoringRule.TARGET:
        return target_points(values, weight=weight, target=target, higher_is_better=higher_is_better)
    return linear_points(values, weight=weight, higher_is_better=higher_is_better)


def competition_ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """1, 2, 2, 4 ...: equal totals share a rank."""
    ordered = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    ranks: dict[int, int] = {}
    prev: Decimal | None = None
    rank = 0
    for i, (k, total) in enumerate(ordered, start=1):
        if total != prev:
            rank, prev = i, total
        ranks[k] = rank
    return ranks
