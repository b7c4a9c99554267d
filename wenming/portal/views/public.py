"""The public portal (门户网站): home, columns, stories, search, RSS, sitemap, pictures. No login, no scope:
every read goes through ``selectors.public_*`` (published stories whose time has come)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wenming.core import context, ratelimit
from wenming.honours import selectors as honours_selectors
from wenming.organizations.divisions import city_choices, division_name
from wenming.publicity import selectors as publicity_selectors
from wenming.surveys.services import outlet_token
from wenming.voting import selectors as voting_selectors

from .. import markup, selectors
from ..choices import CATEGORY_ORDER, Category
from .render import article_body, image_url, open_image

PAGE = 15
HOME_ITEMS = 6


def _nav(current: str = "") -> list[dict]:
    items = [{"key": "", "label": _("首页"), "url": reverse("site-home")}]
    items += [
        {"key": c.value, "label": c.label, "url": reverse("public:portal-category", args=[c.value])}
        for c in CATEGORY_ORDER
    ]
    for item in items:
        item["current"] = item["key"] == current
    return items


def _ctx(request, current: str = "", **extra) -> dict:
    return {"nav": _nav(current), "signed_in": request.user.is_authenticated, **extra}


@require_GET
def home(request):
    cols = selectors.public_home()
    columns = [
        {
            "category": c,
            "label": c.label,
            "items": cols[c.value],
            "url": reverse("public:portal-category", args=[c.value]),
        }
        for c in (Category.WORK, Category.NOTICE, Category.GRASSROOTS, Category.DEEDS, Category.POLICY)
        if cols[c.value]
    ]
    lead = [{"a": a, "img": image_url(a.cover, 800, public=True)} for a in cols["lead"]]
    return render(request, "portal/public/home.html", _ctx(request, columns=columns, lead=lead, **_participation()))


def _participation() -> dict:
    """The other apps' public faces on the home page: honour roll, open votes, exemplary people, adopted
    suggestions (each read through that app's public selector, a query or two each; names masked)."""
    mask = markup.mask_personal_data
    honours = [
        {"holder": t.public_holder, "title": t.programme.name, "stars": t.stars, "date": t.decision_date}
        for t in honours_selectors.public_roll()[:HOME_ITEMS]
    ]
    polls = [
        {"title": mask(p.title), "closes_at": p.closes_at, "url": reverse("public:voting-poll", args=[p.pk])}
        for p in voting_selectors.open_polls(HOME_ITEMS)
    ]
    people = [
        {"name": x.display_name, "headline": mask(x.headline), "url": x.public_path()}
        for x in publicity_selectors.published_profiles(HOME_ITEMS)
    ]
    suggestions = [
        {"title": mask(x.title), "org": x.organization.name, "date": x.adopted_at}
        for x in publicity_selectors.published_suggestions(HOME_ITEMS)
    ]
    return {"honours": honours, "polls": polls, "people": people, "suggestions": suggestions}


@require_GET
def category(request, slug: str):
    if slug not in Category.values:
        raise Http404
    cat = Category(slug)
    page = Paginator(selectors.public_by_category(slug), PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/public/category.html", _ctx(request, slug, cat=cat, page=page))


@require_GET
def article(request, pk: int):
    a = selectors.public_articles().filter(pk=pk).first()
    if a is None:
        raise Http404
    return render(
        request,
        "portal/public/article.html",
        _ctx(
            request,
            a.category,
            a=a,
            cat=Category(a.category),
            title=markup.mask_personal_data(a.title),
            summary=markup.mask_personal_data(a.summary),
            body=article_body(a, public=True),
        ),
    )


@require_GET
def search(request):
    q = (request.GET.get("q") or "").strip()[:50]
    cat = request.GET.get("category", "")
    cat = cat if cat in Category.values else ""
    page = None
    if q:
        decision = ratelimit.limit("portal.search", [("ip", context.client_ip(request), 30, 60)])
        if decision.blocked:
            resp = render(request, "portal/public/search.html", _ctx(request, q=q, cat=cat, blocked=True), status=429)
            resp["Retry-After"] = str(decision.retry_after)
            return resp
        page = Paginator(selectors.public_search(q, cat), PAGE).get_page(request.GET.get("page"))
    tabs = [{"key": "", "label": _("全部")}] + [{"key": c.value, "label": c.label} for c in CATEGORY_ORDER]
    return render(request, "portal/public/search.html", _ctx(request, q=q, cat=cat, page=page, tabs=tabs))


def _clean(value: str | None, length: int) -> str:
    """A public query parameter: control characters (``%00`` …) dropped, trimmed, cut to ``length``."""
    text = "".join(ch for ch in (value or "")[: length * 4] if ch.isprintable())
    return text.strip()[:length]


@require_GET
def outlets(request):
    """找网点评价: a member of the public finds an outlet by city and name or address and opens its survey
    (the same signed link as the QR poster). Only open outlets; name, address, county and brand only."""
    cities = city_choices()
    city = _clean(request.GET.get("city"), 6)
    city = city if city in dict(cities) else ""
    q = _clean(request.GET.get("q"), 50)
    page = None
    if city or q:
        decision = ratelimit.limit("portal.outlets", [("ip", context.client_ip(request), 30, 60)])
        if decision.blocked:
            ctx = _ctx(request, city=city, oq=q, cities=cities, blocked=True)
            resp = render(request, "portal/public/outlets.html", ctx, status=429)
            resp["Retry-After"] = str(decision.retry_after)
            return resp
        page = Paginator(selectors.public_outlets(city, q), PAGE).get_page(_clean(request.GET.get("page"), 6))
        page.rows = [
            {
                "name": o.organization.name,
                "address": o.organization.address,
                "county": division_name(o.county_code),
                "city": division_name(o.organization.city_code),
                "brand": o.brand.name,
                "url": reverse("public:surveys-outlet", args=[outlet_token(o.pk)]),
            }
            for o in page.object_list
        ]
    ctx = _ctx(request, city=city, oq=q, cities=cities, page=page, city_name=division_name(city))
    return render(request, "portal/public/outlets.html", ctx)


@require_GET
def rss(request):
    feed = Rss201rev2Feed(
        title=_("辽宁邮政行业精神文明建设"),
        link=request.build_absolute_uri(reverse("site-home")),
        description=_("工作动态、通知公告、基层风采、典型事迹与政策文件"),
        language="zh-cn",
    )
    for a in selectors.public_articles()[:30]:
        feed.add_item(
            title=markup.mask_personal_data(a.title),
            link=request.build_absolute_uri(reverse("public:portal-article", args=[a.pk])),
            description=markup.mask_personal_data(a.summary or markup.plain_text(a.body)[:200]),
            pubdate=a.published_at,
            categories=[Category(a.category).label],
            unique_id=request.build_absolute_uri(reverse("public:portal-article", args=[a.pk])),
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8")


@require_GET
def sitemap(request):
    urls = [{"loc": request.build_absolute_uri(reverse("site-home")), "lastmod": None}]
    urls += [
        {"loc": request.build_absolute_uri(reverse("public:portal-category", args=[c.value])), "lastmod": None}
        for c in CATEGORY_ORDER
    ]
    urls += [
        {"loc": request.build_absolute_uri(reverse("public:portal-article", args=[pk])), "lastmod": at}
        for pk, at in selectors.public_articles().values_list("pk", "updated_at")[:5000]
    ]
    xml = render_to_string("portal/public/sitemap.xml", {"urls": urls})
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@require_GET
def site_map_page(request):
    """网站地图 (the footer link government sites carry)."""
    return render(request, "portal/public/sitemap.html", _ctx(request))


@require_GET
def image(request, pk: int, width: int = 0):
    img = selectors.public_image(pk)
    if img is None:
        raise Http404
    name = img.rendition(width) if width else img.file
    try:
        fh = open_image(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, content_type="image/jpeg")
    resp["Cache-Control"] = "public, max-age=86400"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
