"""Writes of the news CMS: stories, their revisions and images, and every editorial step (via the kernel)."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import uploads
from wenming.core.errors import ApplicationError
from wenming.workbench.services import notify
from wenming.workflow.engine import Outcome, Transition, perform, record_event
from wenming.workflow.policy import require

from . import markup, rules
from .choices import EDITABLE, ArticleStatus, Category
from .models import Article, ArticleImage, ArticleRevision
from .permissions import PortalAction as PA
from .search import index_text
from .workflows import ARTICLE_WORKFLOW as WF

#: rendition widths (px) stored next to each picture: phone cards and article width
RENDITION_WIDTHS = (320, 800)
RENDITION_QUALITY = 72
CONTENT_FIELDS = ("category", "title", "summary", "body", "source")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: (data.get(k) or "").strip() for k in CONTENT_FIELDS}
    if out["category"] not in Category.values:
        raise ApplicationError(_("请选择栏目"), field="category")
    if not out["title"]:
        raise ApplicationError(_("请填写标题"), field="title")
    if not out["body"]:
        raise ApplicationError(_("请填写正文"), field="body")
    return out


def _index(article: Article) -> str:
    return index_text(article.title, article.summary, markup.plain_text(article.body))


def _snapshot(article: Article, *, by: Any, note: str = "") -> ArticleRevision:
    article.revision += 1
    return ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        category=article.category,
        title=article.title,
        summary=article.summary,
        body=article.body,
        source=article.source,
        cover_id_value=article.cover_id,
        note=note[:100],
        created_by=by,
    )


def _check_cover(article: Article, cover: ArticleImage | None) -> None:
    if cover is not None and cover.article_id != article.pk:
        raise ApplicationError(_("题图须是本稿件的图片"), field="cover")


@transaction.atomic
def article_create(*, organization: Any, data: dict[str, Any], by: Any) -> Article:
    """A new draft of ``organization`` (the writer holds ``portal.draft`` on it); revision 1."""
    require(by, PA.DRAFT, organization)
    fields = _clean(data)
    article = Article(organization=organization, created_by=by, **fields)
    article.search_text = _index(article)
    article.save()
    _snapshot(article, by=by, note=_("起草"))
    article.save(update_fields=["revision"])
    record_event(WF, article, "create", by=by)
    audit_record(AuditAction.CREATE, user=by, obj=article, detail={"category": article.category})
    return article


def _editable(article_id: int, by: Any) -> Article:
    article = Article.objects.select_for_update().select_related("organization").get(pk=article_id)
    require(by, PA.DRAFT, article)
    if article.status not in EDITABLE:
        raise ApplicationError(_("稿件已提交，不能修改；如需修改请先退回"))
    return article


@transaction.atomic
def article_update(*, article_id: int, data: dict[str, Any], by: Any, cover: ArticleImage | None = None) -> Article:
    """Save the working copy as a new revision (drafts and returned stories only)."""
    article = _editable(article_id, by)
    fields = _clean(data)
    _check_cover(article, cover)
    changed = [k for k, v in fields.items() if getattr(article, k) != v]
    if cover != article.cover:
        changed.append("cover")
    for k, v in fields.items():
        setattr(article, k, v)
    article.cover = cover
    if not changed:
        return article
    article.search_text = _index(article)
    _snapshot(article, by=by, note=_("修改"))
    article.save()
    record_event(WF, article, "edit", by=by, comment=f"v{article.revision}")
    audit_record(AuditAction.UPDATE, user=by, obj=article, detail={"changed": changed, "revision": article.revision})
    return article


@transaction.atomic
def article_rollback(*, article_id: int, number: int, by: Any) -> Article:
    """Copy revision ``number`` back into the working copy; kept as a new revision (nothing is lost)."""
    article = _editable(article_id, by)
    try:
        rev = article.revisions.get(number=number)
    except ArticleRevision.DoesNotExist as exc:
        raise ApplicationError(_("没有这个版本")) from exc
    for k in CONTENT_FIELDS:
        setattr(article, k, getattr(rev, k))
    article.cover = article.images.filter(pk=rev.cover_id_value).first() if rev.cover_id_value else None
    article.search_text = _index(article)
    _snapshot(article, by=by, note=_("恢复自版本 %(n)s") % {"n": number})
    article.save()
    record_event(WF, article, "rollback", by=by, comment=f"v{number} → v{article.revision}")
    audit_record(AuditAction.UPDATE, user=by, obj=article, detail={"rollback_to": number, "revision": article.revision})
    return article


def _renditions(clean: uploads.CleanImage, prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for width in RENDITION_WIDTHS:
        if clean.width <= width:
            continue
        with Image.open(io.BytesIO(clean.content)) as im:
            im.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            im.save(buf, format="JPEG", quality=RENDITION_QUALITY, optimize=True, progressive=True)
        name = default_storage.save(uploads.storage_name(prefix, f"-{width}.jpg"), ContentFile(buf.getvalue()))
        out[str(width)] = name
    return out


@transaction.atomic
def image_add(*, article_id: int, upload: Any, alt: str, by: Any) -> ArticleImage:
    """Accept a picture through the one upload path (content sniffed, re-encoded, metadata stripped)."""
    article = _editable(article_id, by)
    alt = (alt or "").strip()
    if not alt:
        raise ApplicationError(_("请填写图片说明（供读屏软件朗读）"), field="alt")
    if article.images.count() >= 20:
        raise ApplicationError(_("每篇稿件最多 20 张图片"), field="image")
    clean = uploads.process_image(upload)
    prefix = "portal/images"
    name = uploads.save(clean, prefix=prefix)
    image = ArticleImage.objects.create(
        article=article,
        file=name,
        renditions=_renditions(clean, prefix),
        width=clean.width,
        height=clean.height,
        sha256=clean.sha256,
        alt=alt[:100],
        uploaded_by=by,
    )
    record_event(WF, article, "image", by=by, comment=alt[:100])
    audit_record(AuditAction.CREATE, user=by, obj=image, detail={"article": article.pk, "sha256": clean.sha256})
    return image


# --- the editorial chain ---------------------------------------------------------------------------
def _ready_to_submit(article: Article, t: Transition) -> dict[str, Any]:
    if markup.personal_data_in(article.title, article.summary, article.body, article.source):
        raise ApplicationError(
            _("稿件中有身份证号或手机号，请删除或打码后再提交（门户不得公开个人信息）"), field="body"
        )
    own = set(article.images.values_list("pk", flat=True))
    missing = [i for i in markup.image_ids(article.body) if i not in own]
    if missing:
        raise ApplicationError(
            _("正文引用了不存在的图片：%(ids)s") % {"ids": "、".join(map(str, missing))}, field="body"
        )
    return {}


def _tell_writer(article: Article, title: str, body: str = "") -> None:
    if article.created_by_id:
        notify(
            recipient=article.created_by,
            title=title,
            body=body[:500],
            url=reverse("portal:article-detail", args=[article.pk]),
            category=_("新闻"),
        )


def _move(article_id: int, name: str, *, by: Any, comment: str = "", prepare=None, after=None) -> Article:
    return perform(WF, article_id, name, by=by, comment=comment, prepare=prepare, after=after).obj


def article_submit(*, article_id: int, by: Any) -> Article:
    """To the story's city bureau, or straight to the province for provincial units."""
    article = Article.objects.select_related("organization").get(pk=article_id)
    name = "submit" if rules.city_bureau_of(article.organization) is not None else "submit_direct"
    return _move(article_id, name, by=by, prepare=_ready_to_submit)


def article_approve(*, article_id: int, by: Any, comment: str = "") -> Article:
    return _move(article_id, "approve", by=by, comment=comment.strip())


def _need_reason(comment: str) -> str:
    if not (comment or "").strip():
        raise ApplicationError(_("退回时请填写修改意见"), field="comment")
    return comment.strip()


def article_return(*, article_id: int, by: Any, comment: str) -> Article:
    comment = _need_reason(comment)

    def after(obj: Article, outcome: Outcome) -> None:
        _tell_writer(obj, _("稿件“%(t)s”被市局退回修改") % {"t": obj.title}, comment)

    return _move(article_id, "return", by=by, comment=comment, after=after)


def article_province_return(*, article_id: int, by: Any, comment: str) -> Article:
    comment = _need_reason(comment)

    def after(obj: Article, outcome: Outcome) -> None:
        _tell_writer(obj, _("稿件“%(t)s”被省局退回修改") % {"t": obj.title}, comment)

    return _move(article_id, "province_return", by=by, comment=comment, after=after)


def _published(obj: Article, outcome: Outcome) -> None:
    _tell_writer(obj, _("稿件“%(t)s”已在门户网站发布") % {"t": obj.title})


def article_publish(*, article_id: int, by: Any, comment: str = "") -> Article:
    return _move(
        article_id,
        "publish",
        by=by,
        comment=comment.strip(),
        prepare=lambda obj, t: {"published_at": timezone.now(), "publish_at": None},
        after=_published,
    )


def article_schedule(*, article_id: int, publish_at: datetime | None, by: Any, comment: str = "") -> Article:
    if publish_at is None:
        raise ApplicationError(_("请填写定时发布时间"), field="publish_at")
    if publish_at <= timezone.now():
        raise ApplicationError(_("定时发布时间须晚于现在"), field="publish_at")
    local = timezone.localtime(publish_at)
    return _move(
        article_id,
        "schedule",
        by=by,
        comment=comment.strip() or _("定于 %(t)s 发布") % {"t": f"{local:%Y-%m-%d %H:%M}"},
        prepare=lambda obj, t: {"publish_at": publish_at},
    )


def article_withdraw(*, article_id: int, by: Any, comment: str) -> Article:
    if not (comment or "").strip():
        raise ApplicationError(_("撤稿时请填写原因"), field="comment")

    def after(obj: Article, outcome: Outcome) -> None:
        _tell_writer(obj, _("稿件“%(t)s”已撤稿") % {"t": obj.title}, comment.strip())

    return _move(article_id, "withdraw", by=by, comment=comment.strip(), after=after)


def release_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled story whose time has come (run by the scheduler every minute)."""
    now = now or timezone.now()
    due = list(
        Article.objects.filter(status=ArticleStatus.SCHEDULED, publish_at__lte=now)
        .order_by("publish_at")
        .values_list("pk", flat=True)
    )
    for pk in due:
        perform(
            WF,
            pk,
            "release",
            by=None,
            prepare=lambda obj, t: {"published_at": obj.publish_at},
            after=_published,
        )
    return len(due)
