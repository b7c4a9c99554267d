"""The portal's lines of the workbench 待办: stories to review, to publish, and returned to their writer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.workbench.services import TodoItem

from . import selectors
from .choices import ArticleStatus as S


def portal_todos(user: Any) -> Iterable[TodoItem]:
    base = reverse("portal:article-list")
    n = selectors.awaiting_city_review(user).count()
    if n:
        yield TodoItem(
            category=_("审核"), title=_("待审核的新闻稿件 %(n)s 篇") % {"n": n}, url=f"{base}?status={S.CITY_REVIEW}"
        )
    n = selectors.awaiting_publication(user).count()
    if n:
        yield TodoItem(
            category=_("发布"),
            title=_("待发布的新闻稿件 %(n)s 篇") % {"n": n},
            url=f"{base}?status={S.PROVINCE_REVIEW}",
        )
    n = selectors.returned_to(user).count()
    if n:
        yield TodoItem(
            category=_("退回"), title=_("被退回的新闻稿件 %(n)s 篇") % {"n": n}, url=f"{base}?status={S.RETURNED}"
        )
