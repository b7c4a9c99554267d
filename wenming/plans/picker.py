"""Picker sources of the plans pages: work goals and 督办事项 (for 长效机制's links), searched by title."""

from __future__ import annotations

from typing import Any

from wenming.accounts.roles import Action
from wenming.web.picker import LIMIT, register_source

from .models import WorkDispatch, WorkGoal


def search_goals(user: Any, q: str, *, action: str, params: Any, under: str | None) -> list[dict]:
    qs = WorkGoal.objects.visible_to(user, Action.VIEW).select_related("plan")
    if q:
        qs = qs.filter(title__icontains=q)
    return [{"id": g.pk, "label": g.title, "hint": g.plan.title} for g in qs.order_by("-plan__year", "pk")[:LIMIT]]


def search_dispatches(user: Any, q: str, *, action: str, params: Any, under: str | None) -> list[dict]:
    qs = WorkDispatch.objects.visible_to(user, Action.VIEW).select_related("issuer")
    if q:
        qs = qs.filter(title__icontains=q)
    return [{"id": d.pk, "label": d.title, "hint": d.issuer.name} for d in qs.order_by("-pk")[:LIMIT]]


def register() -> None:
    register_source("goals", search_goals)
    register_source("dispatches", search_dispatches)
