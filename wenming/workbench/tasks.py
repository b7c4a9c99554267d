"""Background jobs of the workbench: large notification fan-outs."""

from __future__ import annotations

from wenming.core.tasks import task

from .services import deliver


@task()
def deliver_notifications(recipient_ids: list[int], payload: dict[str, str]) -> int:
    return deliver(list(recipient_ids), dict(payload))
