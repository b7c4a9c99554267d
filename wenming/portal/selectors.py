"""Reads of the news CMS: the staff lists start from ``visible_to``; the public ones from ``public()``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from wenming.accounts.roles import Action
from wenming.organizations.choices import OutletStatus
from wenming.organizations.models import Outlet

from .choices import ArticleStatus as S
from .choices import Category
from .models import Article, ArticleImage
from .permissions import PortalAction as PA
from .search import query_terms


def article_list(*, user: Any) -> QuerySet[Article]:
    """Stories of the user's units (and below) for the staff pages."""
    return Article.objects.visible_to(user, Action.VIEW).select_related("organization", "created_by")


def awaiting_city_review(user: Any) -> QuerySet[Article]:
    """Stories at the city stage the user may decide (the rule ``portal.city_reviewer`` as a query)."""
    return Article.objects.visible_to(user, PA.REVIEW).filter(status=S.CITY_REVIEW).exclude(created_by=user)


def awaiting_publication(user: Any) -> QuerySet[Article]:
    return Article.objects.visible_to(user, PA.PUBLISH).filter(status=S.PROVINCE_REVIEW)


def returned_to(user: Any) -> QuerySet[Article]:
    return Article.objects.visible_to(user, PA.DRAFT).filter(status=S.RETURNED, created_by=user)


def image_list(*, user: Any) -> QuerySet[ArticleImage]:
    return ArticleImage.objects.visible_to(user, Action.VIEW)


# --- public ---------------------------------------------------------------------------------------
def public_articles() -> QuerySet[Article]:
    return Article.objects.public().select_related("organization", "cover").order_by("-published_at", "-id")


def public_by_category(category: str) -> QuerySet[Article]:
    return public_articles().filter(category=category)


def public_home() -> dict[str, list[Article]]:
    """The home page's columns: latest news with pictures, notices, grassroots and deeds (hidden when empty)."""
    base = public_articles()
    return {
        "lead": list(base.filter(cover__isnull=False).exclude(category=Category.NOTICE)[:3]),
        Category.WORK.value: list(base.filter(category=Category.WORK)[:6]),
        Category.NOTICE.value: list(base.filter(category=Category.NOTICE)[:6]),
        Category.GRASSROOTS.value: list(base.filter(category=Category.GRASSROOTS)[:4]),
        Category.DEEDS.value: list(base.filter(category=Category.DEEDS)[:4]),
        Category.POLICY.value: list(base.filter(category=Category.POLICY)[:5]),
    }


def public_search(q: str, category: str = "") -> QuerySet[Article]:
    terms = query_terms(q)
    if not terms:
        return Article.objects.none()
    qs = public_articles()
    if category in Category.values:
        qs = qs.filter(category=category)
    for term in terms:
        qs = qs.filter(search_text__contains=f" {term} ")
    return qs


def public_image(pk: int) -> ArticleImage | None:
    """A picture may be served publicly only while its story is public."""
    return ArticleImage.objects.filter(
        pk=pk, article__status=S.PUBLISHED, article__published_at__lte=timezone.now()
    ).first()


def public_outlets(city_code: str = "", q: str = "") -> QuerySet[Outlet]:
    """Outlets a member of the public can rate: open (营业) and not deactivated, optionally in one city and
    with ``q`` in the name or the address. Public data only (the page shows name, address, county, brand)."""
    qs = Outlet.objects.filter(status=OutletStatus.OPEN, organization__is_active=True).select_related(
        "organization", "brand"
    )
    if city_code:
        qs = qs.filter(organization__city_code=city_code)
    if q:
        qs = qs.filter(Q(organization__name__icontains=q) | Q(organization__address__icontains=q))
    return qs.order_by("organization__city_code", "organization__name", "pk")
