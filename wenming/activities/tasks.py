"""Background work of the activities app."""

from wenming.core.tasks import task

from .services import volunteer_auto_checkout


@task()
def auto_checkout() -> int:
    """Close volunteer check-ins older than the event's limit (run every 15 minutes by the scheduler)."""

    return volunteer_auto_checkout()
