"""The one place that imports the task decorator, so the move to Django 6 is one line."""

try:  # Django 6
    from django.tasks import task  # type: ignore[attr-defined]
except ImportError:  # Django 5.2 backport
    from django_tasks import task

__all__ = ["task"]
