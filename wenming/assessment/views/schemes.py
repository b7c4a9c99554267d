"""考核方案: list, detail, edit (drafts), publish, new version — province only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenming.core.errors import ApplicationError
from wenming.web.forms import form_error
from wenming.web.gate import get_scoped_or_404, staff_view
from wenming.web.responses import done

from .. import selectors, services
from ..forms import SchemeForm
from ..metrics import metric
from ..models import Scheme
from ..permissions import AssessmentAction as A


@staff_view(A.MANAGE)
def scheme_list(request):
    return render(request, "assessment/scheme_list.html", {"schemes": selectors.scheme_list(user=request.user)})


@staff_view(A.MANAGE)
def scheme_detail(request, pk: int):
    scheme = get_scoped_or_404(request, Scheme.objects.all(), scope=A.MANAGE, pk=pk)
    rows = []
    for ind in scheme.indicators.all():
        try:
            rows.append((ind, metric(ind.metric_key)))
        except KeyError:
            rows.append((ind, None))
    return render(request, "assessment/scheme_detail.html", {"scheme": scheme, "rows": rows})


@staff_view(A.MANAGE)
def scheme_edit(request, pk: int | None = None):
    scheme = get_scoped_or_404(request, Scheme.objects.all(), scope=A.MANAGE, pk=pk) if pk else None
    if scheme is not None and scheme.is_published:
        messages.error(request, _("已发布的方案不能修改，请另存为新版本"))
        return redirect("assessment:scheme-detail", pk=scheme.pk)
    form = SchemeForm(
        request.POST or None, scheme=scheme, initial={"year": timezone.localdate().year} if scheme is None else {}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if scheme is None:
                scheme = services.scheme_create(
                    by=request.user,
                    year=d["year"],
                    name=d["name"],
                    description=d["description"],
                    indicators=form.indicators(),
                )
            else:
                services.scheme_update(
                    scheme_id=scheme.pk,
                    by=request.user,
                    name=d["name"],
                    description=d["description"],
                    indicators=form.indicators(),
                )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return done(request, reverse("assessment:scheme-detail", args=[scheme.pk]), _("考核方案已保存"))
    return render(request, "assessment/scheme_form.html", {"form": form, "scheme": scheme})


@require_POST
@staff_view(A.MANAGE)
def scheme_publish(request, pk: int):
    scheme = get_scoped_or_404(request, Scheme.objects.all(), scope=A.MANAGE, pk=pk)
    try:
        services.scheme_publish(scheme_id=scheme.pk, by=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("考核方案已发布"))
    return redirect("assessment:scheme-detail", pk=scheme.pk)


@require_POST
@staff_view(A.MANAGE)
def scheme_new_version(request, pk: int):
    scheme = get_scoped_or_404(request, Scheme.objects.all(), scope=A.MANAGE, pk=pk)
    new = services.scheme_new_version(scheme_id=scheme.pk, by=request.user)
    messages.success(request, _("已生成新版本草稿"))
    return redirect("assessment:scheme-edit", pk=new.pk)
