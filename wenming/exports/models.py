"""Files made in the background (big exports, PDFs, Word bulletins): the page polls their progress."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _expiry():
    return timezone.now() + timedelta(hours=24)


class GeneratedFileStatus(models.TextChoices):
    PENDING = "pending", _("排队中")  # enqueued, not started
    RUNNING = "running", _("生成中")  # a worker is writing it
    DONE = "done", _("已完成")  # ready to download until expires_at
    FAILED = "failed", _("失败")  # error message kept


class GeneratedFile(models.Model):
    """One file a user asked for. Removed after 24 hours (residual information, PR11)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generated_files")
    kind = models.CharField(_("类型"), max_length=50)  # e.g. "outlets.xlsx", "plans.bulletin.docx"
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=GeneratedFileStatus.choices, default=GeneratedFileStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.FileField(upload_to="generated/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry, db_index=True)

    class Meta:
        verbose_name = _("生成文件")
        verbose_name_plural = _("生成文件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
