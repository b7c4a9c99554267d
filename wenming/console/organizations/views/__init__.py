"""Staff pages of the organisation tree, enterprises and outlets (thin: selectors read, services write)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core.errors import ApplicationError
from wenming.organizations.choices import OrgKind
from wenming.organizations.divisions import division_name
from wenming.organizations.filters import EnterpriseFilter, OutletFilter
from wenming.organizations.forms import OrgActiveForm, OrgCreateForm, OrgMoveForm, SealForm, kinds_under
from wenming.organizations.models import BUREAU_KINDS, Organization
from wenming.organizations.scoping import is_in_scope
from wenming.organizations.selectors import (
    enterprise_list,
    org_children,
    org_detail,
    org_get,
    org_move_targets,
    org_search,
    org_tree_roots,
    outlet_list,
    seal_image_data_uri,
)
from wenming.organizations.services import (
    ALLOWED_PARENTS,
    org_node_create,
    org_relocate,
    org_toggle_active,
    seal_of,
    seal_remove,
    seal_upload,
)
from wenming.web.forms import form_error
from wenming.web.gate import can, check, deny, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.widgets import use_picker


@staff_view()
def tree(request):
    q = request.GET.get("q", "").strip()
    ctx = {"q": q}
    if q:
        ctx["results"] = org_search(user=request.user, q=q)
    else:
        ctx["roots"] = org_tree_roots(user=request.user)
    if request.htmx and not request.htmx.boosted:
        return render(request, "organizations/tree.html#body", ctx)
    return render(request, "organizations/tree.html", ctx)


@staff_view()
def tree_children(request, pk: int):
    org = org_get(user=request.user, pk=pk)
    return render(request, "organizations/tree.html#children", {"children": org_children(user=request.user, org=org)})


@staff_view()
def detail(request, pk: int):
    org = org_get(user=request.user, pk=pk)
    manages_node = can(request, Action.ORG_MANAGE, org)
    manages_parent = org.parent is not None and can(request, Action.ORG_MANAGE, org.parent)
    ctx = {
        "org": org,
        "city_name": division_name(org.city_code),
        "can_create": manages_node and org.is_active and bool(kinds_under(org)),
        "can_restructure": manages_parent,
        "can_add_courier": org.kind == OrgKind.OUTLET and org.is_active and can(request, Action.PEOPLE_MANAGE, org),
        **org_detail(user=request.user, org=org),
    }
    return render(request, "organizations/detail.html", ctx)


@staff_view()
def create(request, pk: int):
    parent = org_get(user=request.user, pk=pk)
    check(request, Action.ORG_MANAGE, parent)
    kinds = kinds_under(parent)
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    if kind not in dict(kinds):
        return render(request, "organizations/org_form.html", {"parent": parent, "kinds": kinds, "form": None})
    form = OrgCreateForm(request.POST or None, parent=parent, kind=kind)
    if request.method == "POST" and form.is_valid():
        fields, ent, out, mass = form.split()
        try:
            org = org_node_create(
                parent=parent,
                kind=kind,
                name=form.cleaned_data["name"],
                by=request.user,
                fields=fields,
                enterprise=ent,
                outlet=out,
                mass_org=mass,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("新增成功"))
            return redirect("organizations:detail", pk=org.pk)
    ctx = {"parent": parent, "kinds": kinds, "kind": kind, "kind_label": OrgKind(kind).label, "form": form}
    return render(request, "organizations/org_form.html", ctx, status=422 if form.errors else 200)


def _restructure_target(request, pk: int) -> Organization:
    org = org_get(user=request.user, pk=pk)
    if org.parent is None or not can(request, Action.ORG_MANAGE, org.parent):
        deny(request)
    return org


@staff_view()
def move(request, pk: int):
    org = _restructure_target(request, pk)
    form = OrgMoveForm(
        request.POST or None, targets=org_move_targets(user=request.user, org=org).exclude(pk=org.parent_id)
    )
    use_picker(
        form.fields["new_parent"],
        action=Action.ORG_MANAGE,
        kind=sorted(k for k in ALLOWED_PARENTS.get(org.kind, set()) if k),
    )
    if request.method == "POST" and form.is_valid():
        try:
            org_relocate(
                org=org,
                new_parent=form.cleaned_data["new_parent"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("调整成功"))
            return redirect("organizations:detail", pk=org.pk)
    return render(request, "organizations/move.html", {"org": org, "form": form}, status=422 if form.errors else 200)


@staff_view()
def set_active(request, pk: int, active: bool):
    org = _restructure_target(request, pk)
    form = OrgActiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = org_toggle_active(org=org, active=active, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"{'启用' if active else '停用'}成功，共 {n} 个机构")
            return redirect("organizations:detail", pk=org.pk)
    ctx = {
        "org": org,
        "form": form,
        "active": active,
        "verb": _("启用") if active else _("停用"),
        "subtree_count": org.descendants().count(),
    }
    return render(request, "organizations/confirm_active.html", ctx, status=422 if form.errors else 200)


OUTLET_EXPORT = ExportSpec(
    filename="网点",
    header=["网点名称", "所属企业", "品牌", "地市", "区县", "网点类型", "城乡", "状态", "开办日期", "地址"],
    row=lambda o: [
        o.organization.name,
        o.organization.parent.name if o.organization.parent else "",
        o.brand.name,
        division_name(o.organization.city_code),
        division_name(o.county_code),
        o.get_outlet_type_display(),
        "农村" if o.is_rural else "城市",
        o.get_status_display(),
        o.opened_on.isoformat() if o.opened_on else "",
        o.organization.address,
    ],
    object_type="organizations.Outlet",
)


@staff_view()
def outlet_list_view(request):
    return list_page(
        request,
        queryset=outlet_list(user=request.user),
        template="organizations/outlet_list.html",
        filterset_class=OutletFilter,
        export=OUTLET_EXPORT,
    )


ENTERPRISE_EXPORT = ExportSpec(
    filename="企业",
    header=["企业名称", "类型", "品牌", "地市", "许可证号", "许可证有效期至", "经营方式", "直属网点数"],
    row=lambda e: [
        e.organization.name,
        e.organization.get_kind_display(),
        e.brand.name,
        division_name(e.organization.city_code),
        e.licence_no,
        e.licence_valid_to.isoformat() if e.licence_valid_to else "",
        e.get_network_type_display(),
        e.outlet_count,
    ],
    object_type="organizations.Enterprise",
)


@staff_view()
def enterprise_list_view(request):
    return list_page(
        request,
        queryset=enterprise_list(user=request.user),
        template="organizations/enterprise_list.html",
        filterset_class=EnterpriseFilter,
        export=ENTERPRISE_EXPORT,
    )


# --- the bureau's seal: printed on the certificates the bureau issues ---------------------------
@staff_view()
def seal(request, pk: int):
    org = org_get(user=request.user, pk=pk)  # 404 outside the user's scope
    if org.kind not in BUREAU_KINDS:
        raise Http404
    if not is_in_scope(request.user, org, Action.ORG_MANAGE):
        deny(request, Action.ORG_MANAGE, obj=org)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("remove"):
        seal_remove(organization=org, by=request.user)
        messages.success(request, _("已删除印章，此后出具的证明不带印章"))
        return redirect("organizations:seal", pk=org.pk)
    if request.method == "POST" and form.is_valid():
        try:
            seal_upload(organization=org, upload=form.cleaned_data["image"], by=request.user)
        except ApplicationError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, _("印章已保存，此后出具的证明使用新印章"))
            return redirect("organizations:seal", pk=org.pk)
    current = seal_of(org)
    ctx = {
        "org": org,
        "form": form,
        "seal": current,
        "seal_src": seal_image_data_uri(current.image.name) if current else "",
    }
    return render(request, "organizations/seal.html", ctx, status=422 if form.errors else 200)
