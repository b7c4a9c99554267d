"""Background work of the publicity app."""

from wenming.core.tasks import task

from .services import exemplar_expire_consents


@task()
def expire_consents() -> int:
    """Take down profiles whose consent ran out (run every hour by the scheduler)."""
    return exemplar_expire_consents()
