"""Abstract building blocks with no domain nouns."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and update times for every domain row."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class TransitionEvent(models.Model):
    """One append-only step of a workflow's history (engineering.md §3.3); subclasses add the subject FK."""

    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        """The kind's label, from the workflow's own table (subclasses declare ``kind`` with its choices)."""
        return self.get_kind_display()  # type: ignore[attr-defined]


class PeriodicRun(models.Model):
    """The last claimed slot and outcome of one periodic job (wenming.core.periodic)."""

    name = models.CharField(_("任务"), max_length=100, unique=True)
    last_slot = models.DateTimeField(_("最近时段"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    # queued: claimed and handed to the task queue; running: a worker is executing it;
    # ok: finished without error; failed: raised, see last_error
    last_status = models.CharField(_("最近状态"), max_length=10, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
