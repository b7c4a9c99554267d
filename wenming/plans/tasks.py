"""Background jobs of the plans app (django-tasks). cron runs ``manage.py send_digests`` daily."""

from wenming.core.tasks import task


@task()
def send_daily_digests() -> dict:
    from .supervision import digests_send, tasks_escalate

    return {"escalated": tasks_escalate(), "digests": digests_send()}
