"""Notifications and the workbench registries (待办, 已办, 我发起的, counters). Every module uses these;
none keeps its own.

A counter is registered once with the list it opens (:func:`register_counter`): the provider returns the
count *and* the URL of the list whose filter yields exactly that many rows, computed by the same selector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from wenming.core.tasks import task

from .models import Notification


@dataclass
class TodoItem:
    """One line of the to-do panel."""

    category: str  # 督办 / 审核 / 签收 …
    title: str
    url: str
    due: date | None = None
    overdue: bool = False
    light: Any = None  # the owning module's traffic light (``label``, ``css``) — computed there, one way
    at: datetime | None = None  # when it was done or started (已办 / 我发起的)


TodoProvider = Callable[[Any], Iterable[TodoItem]]
_providers: list[TodoProvider] = []


def register_todo_provider(fn: TodoProvider) -> TodoProvider:
    """Modules register a function ``(user) -> iterable of TodoItem`` (typically in AppConfig.ready)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def todo_items(user: Any, limit: int | None = None) -> list[TodoItem]:
    """The whole 待办 list, overdue first (the workbench paginates it; its counter is its length)."""
    items: list[TodoItem] = []
    for fn in _providers:
        items.extend(fn(user))
    items.sort(key=lambda i: (not i.overdue, i.due or date.max))
    return items if limit is None else items[:limit]


# 已办: (user, since) -> what the user did (since a date, or ever); 我发起的: user -> what the user started.
DoneProvider = Callable[[Any, date | None], Iterable[TodoItem]]
StartedProvider = Callable[[Any], Iterable[TodoItem]]
_done: list[DoneProvider] = []
_started: list[StartedProvider] = []


def register_done_provider(fn: DoneProvider) -> DoneProvider:
    if fn not in _done:
        _done.append(fn)
    return fn


def register_started_provider(fn: StartedProvider) -> StartedProvider:
    if fn not in _started:
        _started.append(fn)
    return fn


def _newest_first(items: list[TodoItem]) -> list[TodoItem]:
    items.sort(key=lambda i: i.at or datetime.min.replace(tzinfo=timezone.get_current_timezone()), reverse=True)
    return items


def done_items(user: Any, since: date | None = None) -> list[TodoItem]:
    items: list[TodoItem] = []
    for fn in _done:
        items.extend(fn(user, since))
    return _newest_first(items)


def started_items(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    for fn in _started:
        items.extend(fn(user))
    return _newest_first(items)


@dataclass(frozen=True)
class Counter:
    count: int
    url: str  # the list that shows exactly ``count`` rows


CounterProvider = Callable[[Any], Counter | None]  # None: the counter does not apply to this user
_counters: dict[str, CounterProvider] = {}


def register_counter(key: str, fn: CounterProvider) -> CounterProvider:
    """One provider per counter key (``due_soon``, ``overdue``): one counter, one list."""
    _counters[key] = fn
    return fn


def counter(key: str, user: Any) -> Counter | None:
    fn = _counters.get(key)
    return fn(user) if fn else None


# Panels: a module's own short list on the workbench (本单位活动, 志愿服务 …).
@dataclass
class Panel:
    title: str
    rows: list[TodoItem]
    more_url: str = ""
    empty: str = "暂无数据"


PanelProvider = Callable[[Any], Panel | None]
_panels: list[PanelProvider] = []


def register_panel(fn: PanelProvider) -> PanelProvider:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def panels(user: Any) -> list[Panel]:
    return [p for p in (fn(user) for fn in _panels) if p is not None]


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


@task()
def deliver_notifications(recipient_ids: list[int], payload: dict[str, str]) -> int:
    """A large fan-out, written by the task worker in batches (see :func:`notify_many`)."""
    return deliver(list(recipient_ids), dict(payload))
