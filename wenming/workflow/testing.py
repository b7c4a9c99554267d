"""Test support for the generic transition suite (``tests/test_every_transition.py``).

Every app declares, per registered workflow, one :class:`TransitionCase` per transition in its
``tests/workflow_cases.py`` with :func:`cases`. The generic suite runs the same checks over all of them
(wrong state refused, no permission refused, out of scope → 404, one event row and one audit row with
the client IP on success, no notification when the transaction rolls back) and fails for any registered
transition without a case — a new module cannot skip it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Maker = Callable[[Any], Any]  # (ns: personas + org_tree) -> object in a source state
Firer = Callable[[Any, Any], Any]  # (obj, by) -> calls the real service
UserOf = Callable[[Any], Any]  # (ns) -> user
HttpOf = Callable[[Any], tuple[str, dict[str, Any]]]  # (obj) -> (url, POST data)


@dataclass(frozen=True)
class TransitionCase:
    workflow: str  # workflow key
    transition: str
    make: Maker  # the object, in one of the transition's source states
    fire: Firer  # the service a user calls (views call the same)
    allowed: UserOf | None  # who may (None: public or system, no signed-in actor)
    denied: UserOf | None  # who may not (None: nobody can be refused, e.g. public)
    wrong_state: str  # a state the transition does not start from
    http: HttpOf | None = None  # the staff action endpoint, for the out-of-scope 404
    outsider: UserOf | None = None  # signed in, out of the object's scope
    notifies: bool = False  # whether success notifies someone (checked with the commit)

    @property
    def id(self) -> str:
        return f"{self.workflow}:{self.transition}"


_CASES: dict[tuple[str, str], TransitionCase] = {}


def cases(*items: TransitionCase) -> None:
    for c in items:
        _CASES[(c.workflow, c.transition)] = c


def all_cases() -> dict[tuple[str, str], TransitionCase]:
    return dict(_CASES)
