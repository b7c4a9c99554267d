"""Public-vote tallies of a selection edition (最美快递员), from registered sources.

A source is ``fn(cycle) -> {application id: votes}`` (the application is the nominee). The honours
engine registers its own source ``offline`` (paper and newspaper ballots entered by staff with their
provenance, ``OfflineTally``); the online-voting module, above this one, registers ``online`` from its
``AppConfig.ready()``::

    register_tally_source("online", "网络投票", online_votes)

:func:`votes_by_nominee` adds every source up; the combined score uses the total (docs/honours.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from .models import OfflineTally

TallyFn = Callable[[Any], dict[int, int]]


@dataclass(frozen=True)
class TallySourceDef:
    code: str
    label: str
    fn: TallyFn


_SOURCES: dict[str, TallySourceDef] = {}


def register_tally_source(code: str, label: str, fn: TallyFn) -> TallySourceDef:
    """Register (or replace, on autoreload) the source ``code``."""
    src = TallySourceDef(code=code, label=label, fn=fn)
    _SOURCES[code] = src
    return src


def tally_sources() -> list[TallySourceDef]:
    return list(_SOURCES.values())


def offline_votes(cycle: Any) -> dict[int, int]:
    rows = (
        OfflineTally.objects.filter(application__cycle=cycle)
        .values("application_id")
        .annotate(n=Sum("votes"))
        .values_list("application_id", "n")
    )
    return {app_id: int(n or 0) for app_id, n in rows}


def votes_by_source(cycle: Any) -> dict[str, dict[int, int]]:
    return {s.code: dict(s.fn(cycle)) for s in tally_sources()}


def votes_by_nominee(cycle: Any) -> dict[int, int]:
    total: dict[int, int] = {}
    for per_source in votes_by_source(cycle).values():
        for app_id, n in per_source.items():
            total[app_id] = total.get(app_id, 0) + int(n)
    return total


register_tally_source("offline", "线下计票（纸质、报纸选票）", offline_votes)
