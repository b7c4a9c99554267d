"""Files made in the background (big exports, PDFs, Word bulletins): the page polls their progress."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LIFETIME = timedelta(hours=24)  # a generated file (and its download link) lives this long at most


def _expiry():
    return timezone.now() + LIFETIME


# What the history calls each kind of file, by the kind's prefix (the longest prefix wins).
KIND_GROUPS: dict[str, Any] = {
    "list": _("列表导出"),
    "reports": _("统计报表"),
    "plans.bulletin": _("工作简报"),
    "surveys.posters": _("二维码海报"),
}


def kind_group(kind: str) -> str:
    """The history's kind group of a file kind (``plans.bulletin.pdf`` → ``plans.bulletin``), or ``""``."""
    best = ""
    for prefix in KIND_GROUPS:
        if (kind == prefix or kind.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    return best


_FORMATS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel", "csv": "CSV"}


def kind_label(kind: str, filename: str = "") -> str:
    """The kind shown in the history: its group and the file format (``工作简报（PDF）``)."""
    label = str(KIND_GROUPS.get(kind_group(kind), _("其他文件")))
    fmt = _FORMATS.get(kind.rsplit(".", 1)[-1]) or _FORMATS.get(filename.rsplit(".", 1)[-1].lower())
    return f"{label}（{fmt}）" if fmt else label


class GeneratedFileStatus(models.TextChoices):
    PENDING = "pending", _("排队中")  # enqueued, not started
    RUNNING = "running", _("生成中")  # a worker is writing it
    DONE = "done", _("已完成")  # ready to download until expires_at
    FAILED = "failed", _("失败")  # error message kept
    EXPIRED = "expired", _("已过期")  # past expires_at: the bytes are deleted, the row stays as history


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
    size = models.PositiveBigIntegerField(_("大小"), default=0)  # bytes of the finished file
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=_expiry, db_index=True)

    class Meta:
        verbose_name = _("生成文件")
        verbose_name_plural = _("生成文件")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Never longer than 24 hours after creation, whatever the caller passed (residual information).
        latest = self.created_at + LIFETIME
        if self.expires_at is None or self.expires_at > latest:
            self.expires_at = latest
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        """Past its expiry (the purge may not have run yet) or already purged."""
        return self.status == GeneratedFileStatus.EXPIRED or self.expires_at <= timezone.now()

    @property
    def shown_status(self) -> str:
        """The status a user sees: a file past its expiry is 已过期 even before the hourly purge."""
        return GeneratedFileStatus.EXPIRED if self.is_expired else self.status

    def get_shown_status_display(self) -> str:
        return str(GeneratedFileStatus(self.shown_status).label)

    @property
    def kind_display(self) -> str:
        return kind_label(self.kind, self.filename)
