"""Background work of the complaints app (run by the scheduler, see ``ComplaintsConfig.ready``)."""

from wenming.core.tasks import task

from .services import flag_overdue, purge_expired_cases


@task()
def flag_overdue_cases() -> int:
    """Flag missed time limits and escalate (hourly; idempotent)."""
    return flag_overdue()


@task()
def purge_complaint_files() -> int:
    """Delete case files past their retention (≥ 3 years after closing), daily."""
    return purge_expired_cases()
