"""Transition tables: one ``Workflow`` per stateful model, no I/O (engineering.md §3.3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import TransitionNotAllowed


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str = ""

    def __init__(self, name: str, sources, target: str, permission: str, label: str = "") -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "label", label or name)


@dataclass
class Workflow:
    transitions: tuple[Transition, ...] = field(default_factory=tuple)

    def __init__(self, *transitions: Transition) -> None:
        self.transitions = transitions

    def get(self, name: str, status: str) -> Transition:
        for t in self.transitions:
            if t.name == name and status in t.sources:
                return t
        raise TransitionNotAllowed(f"当前状态下不能执行此操作（{name}）", code="transition_not_allowed")

    def available(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if status in t.sources]

    def states(self) -> set[str]:
        out: set[str] = set()
        for t in self.transitions:
            out |= set(t.sources)
            out.add(t.target)
        return out
