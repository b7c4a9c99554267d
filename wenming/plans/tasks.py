"""Background jobs of the plans app (django-tasks). The scheduler (``manage.py scheduler``) runs the digest daily at 08:00; ``manage.py send_digests`` runs it by hand."""

from wenming.core.tasks import task

from .supervision import digests_send, tasks_escalate


@task()
def send_daily_digests() -> dict:
    return {"escalated": tasks_escalate(), "digests": digests_send()}
