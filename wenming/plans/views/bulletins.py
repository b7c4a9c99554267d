"""Bulletins (工作简报) built from adopted reports."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from wenming.core.errors import ApplicationError
from wenming.exports.services import generated_file_start
from wenming.organizations.models import Organization
from wenming.plans.permissions import PlanAction as PA
from wenming.web.forms import form_error
from wenming.web.gate import staff_view
from wenming.web.responses import done

from .. import services
from ..forms import (
    BulletinForm,
)
from ..models import (
    Bulletin,
)


# --- bulletins --------------------------------------------------------------------------------
@staff_view(PA.REPORT_REVIEW)
def bulletin_index(request):
    qs = Bulletin.objects.visible_to(request.user, PA.REPORT_REVIEW).prefetch_related("reports")
    from django.core.paginator import Paginator

    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = Organization.objects.visible_to(request.user, PA.REPORT_REVIEW).order_by("depth").first()
        try:
            b = services.bulletin_create(organization=org, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("plans:bulletin-detail", args=[b.pk]), f"已生成第{b.issue_no}期")
    return render(request, "plans/bulletin_list.html", {"page": page, "form": form})


@staff_view()
def bulletin_detail(request, pk: int):
    b = get_object_or_404(Bulletin.objects.visible_to(request.user, PA.REPORT_REVIEW), pk=pk)
    if request.method == "POST":
        fmt = request.POST.get("format")
        if fmt not in ("docx", "pdf"):
            raise Http404
        gf = generated_file_start(
            owner=request.user,
            kind=f"plans.bulletin.{fmt}",
            title=f"工作简报{b.year}年第{b.issue_no}期（{'Word' if fmt == 'docx' else 'PDF'}）",
            params={"bulletin_id": b.pk},
        )
        return done(request, reverse("exports:file-status", args=[gf.pk]))
    return render(request, "plans/bulletin_detail.html", {"b": b, "items": b.reports.select_related("organization")})
