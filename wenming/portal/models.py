"""News stories of the portal (新闻稿件), their images with renditions, revisions and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.models import TimeStampedModel, TransitionEvent
from wenming.organizations.scoping import ScopedQuerySet

from .choices import ArticleStatus, Category
from .workflows import ARTICLE_WORKFLOW


class ArticleQuerySet(ScopedQuerySet):
    scope_field = "organization"

    def public(self) -> ArticleQuerySet:
        """What the anonymous portal shows: published stories whose time has come."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=timezone.now())


class Article(TimeStampedModel):
    """One story of a unit. Its text lives here (the working copy) and in numbered revisions."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("供稿单位")
    )
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices, db_index=True)
    title = models.CharField(_("标题"), max_length=80)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = models.TextField(_("正文"), max_length=20000)
    source = models.CharField(_("来源"), max_length=60, blank=True)
    cover = models.ForeignKey(
        "portal.ArticleImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("题图"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, db_index=True)
    revision = models.PositiveIntegerField(_("版本"), default=0)
    search_text = models.TextField(editable=False, blank=True)  # jieba tokens, space separated
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("撰稿人")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("新闻稿件")
        verbose_name_plural = _("新闻稿件")
        ordering = ["-published_at", "-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "category", "published_at"], name="portal_art_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ArticleStatus.values), name="portal_article_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="scheduled") | models.Q(publish_at__isnull=False),
                name="portal_article_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        return self.source or self.organization.name


class ArticleImageQuerySet(ScopedQuerySet):
    scope_field = "article__organization"


class ArticleImage(models.Model):
    """A picture of a story, accepted by ``core.uploads`` (re-encoded, no metadata) with its renditions."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("稿件"))
    file = models.CharField(_("文件"), max_length=200)
    renditions = models.JSONField(_("缩略图"), default=dict, blank=True)  # {"320": name, "800": name}
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    alt = models.CharField(_("图片说明"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ArticleImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿件图片")
        verbose_name_plural = _("稿件图片")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.alt

    def rendition(self, width: int) -> str:
        """The stored name of the rendition of ``width`` px (the original when it is smaller)."""
        return self.renditions.get(str(width)) or self.file


class ArticleRevisionQuerySet(ScopedQuerySet):
    scope_field = "article__organization"


class ArticleRevision(models.Model):
    """A saved version of a story (每次保存一版); rollback copies one back into the working copy."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=80)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    source = models.CharField(_("来源"), max_length=60, blank=True)
    cover_id_value = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ArticleRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿件版本")
        verbose_name_plural = _("稿件版本")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="portal_revision_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleEventQuerySet(ScopedQuerySet):
    scope_field = "article__organization"


class ArticleEvent(TransitionEvent):
    """One step of a story's history (transitions, edits, rollbacks, uploads): append-only."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=30, choices=ARTICLE_WORKFLOW.kind_choices())

    objects = ArticleEventQuerySet.as_manager()

    class Meta(TransitionEvent.Meta):
        verbose_name = _("稿件记录")
        verbose_name_plural = _("稿件记录")
