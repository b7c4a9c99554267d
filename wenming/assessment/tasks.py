"""Background work of the assessment: the hourly snapshot refresh."""

from wenming.core.tasks import task

from .metrics import Period
from .services import current_periods, refresh_snapshots


@task()
def refresh_current() -> int:
    """Recompute the current month, quarter and year (run every hour by the scheduler)."""
    return sum(refresh_snapshots(p) for p in current_periods())


@task()
def refresh_period(token: str) -> int:
    """Recompute one period (``2026``, ``2026-Q4``, ``2026-12``) in the background."""
    return refresh_snapshots(Period.parse(token))
