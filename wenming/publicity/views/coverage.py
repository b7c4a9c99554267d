"""媒体报道: the log (list, filters, export), entries, clippings and the counts by city and medium."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_year
from wenming.organizations.divisions import division_name
from wenming.web.forms import form_error
from wenming.web.gate import can, get_scoped_or_404, staff_view
from wenming.web.lists import ExportSpec, list_page

from .. import selectors, services
from ..choices import Medium
from ..filters import CoverageFilter
from ..forms import CoverageForm
from ..models import MediaCoverage
from ..permissions import PublicityAction as PA
from .common import file_response, form_page


@staff_view(Action.VIEW)
def coverage_list(request):
    export = ExportSpec(
        filename="媒体报道",
        header=["刊播日期", "报道标题", "媒体名称", "媒体类型", "报送单位", "预估覆盖人次", "报道链接", "相关活动"],
        row=lambda c: [
            c.published_on.isoformat(),
            c.title,
            c.outlet_name,
            c.get_medium_display(),
            c.organization.name,
            c.reach,
            c.url,
            c.activity.title if c.activity_id else "",
        ],
        object_type="publicity.MediaCoverage",
    )
    return list_page(
        request,
        queryset=selectors.coverage_list(user=request.user),
        template="publicity/coverage_list.html",
        filterset_class=CoverageFilter,
        export=export,
        context={"can_edit": can(request, PA.EDIT)},
    )


def _save(request, form, cov=None):
    d = form.cleaned_data
    kwargs = {
        "by": request.user,
        "data": d,
        "activity": d.get("activity"),
        "exemplars": list(d.get("exemplars") or []),
        "clipping": d.get("clipping"),
    }
    if cov is None:
        return services.coverage_create(organization=d["organization"], **kwargs)
    return services.coverage_update(coverage_id=cov.pk, **kwargs)


@staff_view(PA.EDIT)
def coverage_create(request):
    form = CoverageForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cov = _save(request, form)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("媒体报道已登记"))
            return redirect("publicity:coverage-detail", pk=cov.pk)
    return form_page(request, "publicity/coverage_form.html", {"form": form})


@staff_view(PA.EDIT)
def coverage_edit(request, pk: int):
    cov = get_scoped_or_404(request, MediaCoverage.objects, permission=PA.EDIT, pk=pk)
    initial = {f: getattr(cov, f) for f in services.COVERAGE_FIELDS}
    initial.update(activity=cov.activity_id, exemplars=list(cov.exemplars.values_list("pk", flat=True)))
    form = CoverageForm(request.POST or None, request.FILES or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, cov)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("publicity:coverage-detail", pk=cov.pk)
    return form_page(request, "publicity/coverage_form.html", {"form": form, "cov": cov})


@staff_view(Action.VIEW)
def coverage_detail(request, pk: int):
    cov = get_scoped_or_404(request, MediaCoverage.objects.select_related("organization", "activity"), pk=pk)
    exemplars = cov.exemplars.filter(pk__in=selectors.exemplar_list(user=request.user).values("pk"))
    return render(
        request,
        "publicity/coverage_detail.html",
        {"cov": cov, "exemplars": list(exemplars), "can_edit": can(request, PA.EDIT, cov)},
    )


@staff_view(Action.VIEW)
def clipping_file(request, pk: int):
    cov = get_scoped_or_404(request, MediaCoverage.objects, pk=pk)
    if not cov.clipping:
        return redirect("publicity:coverage-detail", pk=cov.pk)
    return file_response(cov.clipping, filename=cov.clipping_name or "clipping")


@staff_view(Action.VIEW)
def coverage_stats(request):
    """Reports per city and medium in a year (the figures the assessment reads, same selector)."""
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    rows = selectors.coverage_counts(
        start=date(year, 1, 1), end=date(year, 12, 31), queryset=selectors.coverage_list(user=request.user)
    )
    media = list(Medium)
    table = [
        {
            "city": division_name(r["city_code"]) or r["city_code"] or "--",
            "code": r["city_code"],
            "counts": [(m.label, r["by_medium"].get(m.value, 0)) for m in media],
            "total": r["total"],
            "reach": r["reach"],
        }
        for r in rows
    ]
    totals = [(m.label, sum(t["counts"][i][1] for t in table)) for i, m in enumerate(media)]
    return render(
        request,
        "publicity/coverage_stats.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, 2016, -1)),
            "media": media,
            "table": table,
            "totals": totals,
            "grand": sum(t["total"] for t in table),
            "reach": sum(t["reach"] for t in table),
        },
    )
