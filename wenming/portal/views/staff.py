"""Staff pages of the news CMS (门户网站 → 新闻稿件): list, write, review, publish, revisions, pictures."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.core.forms import BaseFilterSet
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..choices import EDITABLE, ArticleStatus, Category
from ..forms import ArticleForm, CommentForm, ImageForm, ScheduleForm
from ..models import Article
from ..permissions import PortalAction as PA
from ..workflows import ARTICLE_WORKFLOW as WF
from .render import article_body, open_image


class ArticleFilter(BaseFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=gettext_lazy("标题"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=gettext_lazy("栏目"))
    status = django_filters.ChoiceFilter(choices=ArticleStatus.choices, label=gettext_lazy("状态"))

    class Meta:
        model = Article
        fields = ["q", "category", "status"]


ARTICLE_EXPORT = ExportSpec(
    filename="新闻稿件",
    header=["标题", "栏目", "供稿单位", "状态", "发布时间", "版本"],
    row=lambda a: [
        a.title,
        a.get_category_display(),
        a.organization.name,
        a.get_status_display(),
        a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else "",
        a.revision,
    ],
    object_type="portal.Article",
)


@staff_view(PA.DRAFT)
def article_list(request):
    return list_page(
        request,
        queryset=selectors.article_list(user=request.user).order_by("-updated_at", "-id"),
        template="portal/article_list.html",
        filterset_class=ArticleFilter,
        export=ARTICLE_EXPORT,
        context={"can_write": can(request, PA.DRAFT)},
    )


@staff_view(PA.DRAFT)
def article_create(request):
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            article = services.article_create(organization=data.pop("organization"), data=data, by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("portal:article-detail", args=[article.pk]), _("稿件已保存为草稿"))
    return render(request, "portal/article_form.html", {"form": form, "article": None})


@staff_view(PA.DRAFT)
def article_edit(request, pk: int):
    article = get_scoped_or_404(request, Article.objects, pk=pk, permission=PA.DRAFT)
    if article.status not in EDITABLE:
        messages.error(request, _("稿件已提交，不能修改"))
        return redirect("portal:article-detail", pk=pk)
    initial = {k: getattr(article, k) for k in services.CONTENT_FIELDS} | {"cover": article.cover_id}
    form = ArticleForm(request.POST or None, user=request.user, article=article, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cover = data.pop("cover", None)
        try:
            services.article_update(article_id=article.pk, data=data, cover=cover, by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("portal:article-detail", args=[article.pk]), _("已保存新版本"))
    return render(request, "portal/article_form.html", {"form": form, "article": article})


@staff_view()
def article_detail(request, pk: int):
    article = get_scoped_or_404(request, selectors.article_list(user=request.user), pk=pk)
    editable = article.status in EDITABLE and can(request, PA.DRAFT, article)
    return render(
        request,
        "portal/article_detail.html",
        {
            "a": article,
            "body": article_body(article, public=False),
            "actions": [t.name for t in WF.available(article, request.user)],
            "editable": editable,
            "images": list(article.images.all()),
            "revisions": list(article.revisions.select_related("created_by")[:30]),
            "events": list(article.events.select_related("by")),
            "image_form": ImageForm(),
            "comment_form": CommentForm(),
            "schedule_form": ScheduleForm(),
            "public_url": reverse("public:portal-article", args=[article.pk])
            if article.status == ArticleStatus.PUBLISHED
            else "",
        },
    )


ACTS = {
    "submit": (services.article_submit, gettext_lazy("已提交审核")),
    "approve": (services.article_approve, gettext_lazy("已审核通过，报省局发布")),
    "return": (services.article_return, gettext_lazy("已退回修改")),
    "publish": (services.article_publish, gettext_lazy("已发布到门户网站")),
    "province_return": (services.article_province_return, gettext_lazy("已退回修改")),
    "withdraw": (services.article_withdraw, gettext_lazy("已撤稿")),
}
WITH_COMMENT = {"approve", "return", "publish", "province_return", "withdraw"}


@staff_view()
@require_POST
def article_act(request, pk: int, name: str):
    """One editorial step; the kernel checks the state and the policy (403 in scope without the right)."""
    article = get_scoped_or_404(request, Article.objects, pk=pk)
    if name == "schedule":
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return redirect("portal:article-detail", pk=pk)
        fn, kwargs, ok = services.article_schedule, dict(form.cleaned_data), _("已设定定时发布")
    elif name in ACTS:
        fn, ok = ACTS[name][0], str(ACTS[name][1])
        kwargs = {"comment": request.POST.get("comment", "").strip()[:500]} if name in WITH_COMMENT else {}
    else:
        raise Http404
    try:
        fn(article_id=article.pk, by=request.user, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("portal:article-detail", pk=pk)


@staff_view(PA.DRAFT)
@require_POST
def article_rollback(request, pk: int, number: int):
    article = get_scoped_or_404(request, Article.objects, pk=pk, permission=PA.DRAFT)
    try:
        services.article_rollback(article_id=article.pk, number=number, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已恢复到版本 %(n)s（另存为新版本）") % {"n": number})
    return redirect("portal:article-detail", pk=pk)


@staff_view()
def revision_detail(request, pk: int, number: int):
    article = get_scoped_or_404(request, selectors.article_list(user=request.user), pk=pk)
    rev = article.revisions.filter(number=number).first()
    if rev is None:
        raise Http404
    return render(
        request,
        "portal/revision_detail.html",
        {
            "a": article,
            "rev": rev,
            "body": article_body(article, public=False, body=rev.body),
            "can_restore": article.status in EDITABLE
            and can(request, PA.DRAFT, article)
            and rev.number != article.revision,
        },
    )


@staff_view(PA.DRAFT)
@require_POST
def image_upload(request, pk: int):
    article = get_scoped_or_404(request, Article.objects, pk=pk, permission=PA.DRAFT)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("portal:article-detail", pk=pk)
    try:
        image = services.image_add(
            article_id=article.pk, upload=form.cleaned_data["image"], alt=form.cleaned_data["alt"], by=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("图片已上传，在正文中单独一行写 [图片:%(n)s] 插入") % {"n": image.pk})
    return redirect("portal:article-detail", pk=pk)


@staff_view()
def image_file(request, pk: int, width: int = 0):
    """Pictures of stories not yet public are served through the scope check, never from MEDIA_URL."""
    image = get_scoped_or_404(request, selectors.image_list(user=request.user), pk=pk)
    name = image.rendition(width) if width else image.file
    try:
        fh = open_image(name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, content_type="image/jpeg")
    resp["Cache-Control"] = "private, max-age=3600"
    return resp
