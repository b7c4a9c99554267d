"""The bureau's seal page: the seal printed on the certificates the bureau issues (upload, replace, remove)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.web.gate import deny, staff_view

from .forms import SealForm
from .models import BUREAU_KINDS
from .scoping import is_in_scope
from .selectors import org_get, seal_image_data_uri
from .services import seal_of, seal_remove, seal_upload


@staff_view()
def seal(request, pk: int):
    org = org_get(user=request.user, pk=pk)  # 404 outside the user's scope
    if org.kind not in BUREAU_KINDS:
        raise Http404
    if not is_in_scope(request.user, org, Action.ORG_MANAGE):
        deny(request, Action.ORG_MANAGE, obj=org)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("remove"):
        seal_remove(organization=org, by=request.user, request=request)
        messages.success(request, "已删除印章，此后出具的证明不带印章")
        return redirect("organizations:seal", pk=org.pk)
    if request.method == "POST" and form.is_valid():
        try:
            seal_upload(organization=org, upload=form.cleaned_data["image"], by=request.user, request=request)
        except ApplicationError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, "印章已保存，此后出具的证明使用新印章")
            return redirect("organizations:seal", pk=org.pk)
    current = seal_of(org)
    ctx = {
        "org": org,
        "form": form,
        "seal": current,
        "seal_src": seal_image_data_uri(current.image.name) if current else "",
    }
    return render(request, "organizations/seal.html", ctx, status=422 if form.errors else 200)
