"""Notifications and the 待办 (to-do) registry. Every module uses these; none keeps its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
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


# Up to this many recipients are written at commit inside the request; more go to the task queue.
FANOUT_INLINE = 50


def notify(*, recipient: Any, title: str, body: str = "", url: str = "", category: str = "系统") -> int:
    """Tell one user something — after the surrounding transaction commits (nothing if it rolls back)."""
    return notify_many(recipients=[recipient], title=title, body=body, url=url, category=category)


def notify_many(*, recipients: Iterable[Any], title: str, body: str = "", url: str = "", category: str = "系统") -> int:
    """Tell several users the same thing, after commit; large fan-outs are batched through the task queue.

    Returns the number of distinct recipients scheduled. Outside a transaction the rows are written at once.
    """
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
    if not ids:
        return 0
    payload = {"title": title[:200], "body": body, "url": url, "category": category}

    def send() -> None:
        if len(ids) > FANOUT_INLINE:
            from .tasks import deliver_notifications  # deferred: tasks imports this module

            for i in range(0, len(ids), 500):
                deliver_notifications.enqueue(ids[i : i + 500], payload)
        else:
            deliver(ids, payload)

    transaction.on_commit(send)
    return len(ids)


def deliver(recipient_ids: list[int], payload: dict[str, str]) -> int:
    """Write the notification rows (called at commit, or by the task worker for large fan-outs)."""
    rows = [Notification(recipient_id=pk, **payload) for pk in recipient_ids]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
