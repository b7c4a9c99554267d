"""Notifications and the 待办 (to-do) registry. Every module uses these; none keeps its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from .models import Notification


@dataclass
class TodoItem:
    """One line of the to-do panel."""

    category: str  # 督办 / 审核 / 签收 …
    title: str
    url: str
    due: date | None = None
    overdue: bool = False


TodoProvider = Callable[[Any], Iterable[TodoItem]]
_providers: list[TodoProvider] = []


def register_todo_provider(fn: TodoProvider) -> TodoProvider:
    """Modules register a function ``(user) -> iterable of TodoItem`` (typically in AppConfig.ready)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def todo_items(user: Any, limit: int = 50) -> list[TodoItem]:
    items: list[TodoItem] = []
    for fn in _providers:
        items.extend(fn(user))
    items.sort(key=lambda i: (not i.overdue, i.due or date.max))
    return items[:limit]


def notify(*, recipient: Any, title: str, body: str = "", url: str = "", category: str = "系统") -> Notification:
    return Notification.objects.create(recipient=recipient, title=title[:200], body=body, url=url, category=category)


def notify_many(*, recipients: Iterable[Any], title: str, body: str = "", url: str = "", category: str = "系统") -> int:
    rows = [Notification(recipient=r, title=title[:200], body=body, url=url, category=category) for r in recipients]
    Notification.objects.bulk_create(rows)
    return len(rows)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
