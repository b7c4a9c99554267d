"""Background work of the surveys app (run by the periodic scheduler)."""

from wenming.core.tasks import task

from . import comments, rollup


@task()
def rollup_refresh() -> int:
    """Count the responses committed since the last refresh into the monthly rollup."""
    return rollup.refresh()


@task()
def rollup_check() -> int:
    """Nightly: a sampled rollup row-by-row comparison with a live aggregate; returns the mismatches."""
    return rollup.check().mismatches


@task()
def analyse_comments() -> int:
    return comments.process()


@task()
def ensure_partitions() -> int:
    """PostgreSQL: the next months' partitions of the response table exist before they are needed."""
    return len(rollup.ensure_partitions())
