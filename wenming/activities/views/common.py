"""Shared by the staff pages of 创建活动."""

from __future__ import annotations

from django.utils import timezone

from wenming.accounts.roles import Action

V = Action.VIEW


def fmt_dt(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""
