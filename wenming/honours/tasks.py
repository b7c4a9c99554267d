"""Background work of the honours engine."""

from wenming.core.tasks import task

from .services import titles_tick


@task()
def titles_daily() -> dict:
    """Expire titles past their term, treat missed self-check deadlines as withdrawal, open the year's
    复查 (run daily at 02:30 by the scheduler)."""
    return titles_tick()
