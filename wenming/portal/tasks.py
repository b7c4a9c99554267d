"""Background work of the portal: scheduled stories go public when their time comes."""

from wenming.core.tasks import task

from .services import release_due


@task()
def release_scheduled() -> int:
    """Publish the scheduled stories that are due (the scheduler runs it every minute)."""
    return release_due()
