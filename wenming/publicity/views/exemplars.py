"""先进典型库: list, register, edit, consent, verify → publish, photos."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.certificates.qr import qr_svg
from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.responses import done

from .. import selectors, services
from ..filters import ExemplarFilter
from ..forms import ConsentForm, ExemplarForm, ReasonForm
from ..models import Exemplar, ExemplarPhoto
from ..permissions import PublicityAction as PA
from ..workflows import EXEMPLAR_WORKFLOW
from .common import file_response, form_page

MOVES = {
    "verify": services.exemplar_verify,
    "reopen": services.exemplar_reopen,
    "publish": services.exemplar_publish,
    "unpublish": services.exemplar_unpublish,
}
NEEDS_REASON = {"reopen", "unpublish"}


@staff_view(Action.VIEW)
def exemplar_list(request):
    export = ExportSpec(
        filename="先进典型",
        header=["姓名或集体", "类型", "所在单位", "一句话简介", "所获荣誉", "状态", "同意公开范围", "发布时间"],
        row=lambda e: [
            e.display_name,
            e.get_kind_display(),
            e.organization.name,
            e.headline,
            "；".join(e.honour_lines()),
            e.get_status_display(),
            e.get_consent_scope_display() if e.has_consent else "未同意",
            e.published_at.strftime("%Y-%m-%d") if e.published_at else "",
        ],
        object_type="publicity.Exemplar",
    )
    return list_page(
        request,
        queryset=selectors.exemplar_list(user=request.user),
        template="publicity/exemplar_list.html",
        filterset_class=ExemplarFilter,
        export=export,
        context={"can_edit": can(request, PA.EDIT)},
    )


@staff_view(PA.EDIT)
def exemplar_create(request):
    form = ExemplarForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ex = services.exemplar_create(
                by=request.user, organization=d["organization"], data=d, courier=d.get("courier"), photos=d["photos"]
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("先进典型已登记，请记录本人同意后提交核实"))
            return redirect("publicity:exemplar-detail", pk=ex.pk)
    return form_page(request, "publicity/exemplar_form.html", {"form": form})


@staff_view(PA.EDIT)
def exemplar_edit(request, pk: int):
    ex = get_scoped_or_404(request, Exemplar.objects.select_related("organization"), permission=PA.EDIT, pk=pk)
    initial = {f: getattr(ex, f) for f in services.EXEMPLAR_FIELDS}
    form = ExemplarForm(request.POST or None, request.FILES or None, user=request.user, editing=ex, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemplar_update(
                by=request.user, exemplar_id=ex.pk, data=form.cleaned_data, photos=form.cleaned_data["photos"]
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("publicity:exemplar-detail", pk=ex.pk)
    return form_page(request, "publicity/exemplar_form.html", {"form": form, "ex": ex})


@staff_view(Action.VIEW)
def exemplar_detail(request, pk: int):
    ex = get_scoped_or_404(
        request, Exemplar.objects.select_related("organization", "courier", "consent_recorded_by"), pk=pk
    )
    moves = [t for t in EXEMPLAR_WORKFLOW.available(ex, request.user) if t.name in MOVES]
    public_url = request.build_absolute_uri(ex.public_path())
    return render(
        request,
        "publicity/exemplar_detail.html",
        {
            "ex": ex,
            "photos": list(ex.photos.all()),
            "events": list(ex.events.select_related("by")),
            "coverage": list(ex.coverage.order_by("-published_on")[:20]),
            "moves": moves,
            "needs_reason": NEEDS_REASON,
            "can_edit": can(request, PA.EDIT, ex),
            "is_draft": ex.status == "draft",
            "public_url": public_url,
            "qr": qr_svg(public_url, box_size=5),
            "is_public": selectors.public_profile(ex.public_key) is not None,
        },
    )


@staff_view(Action.VIEW)
@require_POST
def exemplar_move(request, pk: int, name: str):
    ex = get_scoped_or_404(request, Exemplar.objects, pk=pk)
    fn = MOVES.get(name)
    if fn is None:
        raise Http404
    form = ReasonForm(request.POST)
    comment = form.cleaned_data.get("comment", "") if form.is_valid() else ""
    kwargs = {"comment": comment} if name in NEEDS_REASON or name == "verify" else {}
    try:
        fn(by=request.user, exemplar_id=ex.pk, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(label)s") % {"label": EXEMPLAR_WORKFLOW.label(name)})
    return done(request, reverse("publicity:exemplar-detail", args=[ex.pk]))


@staff_view(PA.EDIT)
def exemplar_consent(request, pk: int):
    ex = get_scoped_or_404(request, Exemplar.objects, permission=PA.EDIT, pk=pk)
    initial = {"consent_by": ex.name if ex.kind == "person" else "", "scope": "masked"}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.exemplar_record_consent(
                by=request.user,
                exemplar_id=ex.pk,
                consent_by=d["consent_by"],
                scope=d["scope"],
                given_on=d["given_on"],
                until=d.get("until"),
                note=d.get("note", ""),
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已记录同意"))
            return redirect("publicity:exemplar-detail", pk=ex.pk)
    return form_page(request, "publicity/exemplar_consent.html", {"form": form, "ex": ex})


@staff_view(PA.EDIT)
@require_POST
def exemplar_withdraw(request, pk: int):
    ex = get_scoped_or_404(request, Exemplar.objects, permission=PA.EDIT, pk=pk)
    form = ReasonForm(request.POST)
    try:
        services.exemplar_withdraw_consent(
            by=request.user, exemplar_id=ex.pk, note=form.cleaned_data.get("comment", "") if form.is_valid() else ""
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回同意，公开页面已下线"))
    return done(request, reverse("publicity:exemplar-detail", args=[ex.pk]))


@staff_view(Action.VIEW)
def exemplar_photo(request, pk: int):
    photo = get_scoped_or_404(request, ExemplarPhoto.objects, pk=pk)
    return file_response(photo.image, content_type="image/jpeg", inline=True)


@staff_view(PA.EDIT)
@require_POST
def exemplar_photo_remove(request, pk: int):
    photo = get_scoped_or_404(request, ExemplarPhoto.objects.select_related("exemplar"), pk=pk)
    ex_pk = photo.exemplar_id
    try:
        services.exemplar_photo_remove(by=request.user, photo_id=photo.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("照片已删除"))
    return done(request, reverse("publicity:exemplar-detail", args=[ex_pk]))
