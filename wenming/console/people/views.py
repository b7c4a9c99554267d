"""Staff pages for couriers and governing bodies."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenming.accounts.roles import Action
from wenming.core import pii
from wenming.core.errors import ApplicationError
from wenming.core.forms import parse_id
from wenming.exports.services import stream_csv
from wenming.people.filters import CourierFilter
from wenming.people.forms import CourierForm, GoverningBodyForm, MembershipEndForm, MembershipForm, RevealForm
from wenming.people.models import Courier
from wenming.people.selectors import (
    body_units,
    courier_get,
    courier_list,
    courier_moves,
    governing_body_get,
    governing_body_list,
    membership_get,
    membership_list,
    outlet_choices,
)
from wenming.people.services import (
    REVEAL_FIELDS,
    courier_create,
    courier_reveal,
    courier_update,
    governing_body_create,
    membership_add,
    membership_end,
    reveals_today,
)
from wenming.web.forms import form_error
from wenming.web.gate import can, check, deny, staff_view
from wenming.web.lists import ExportSpec, list_page
from wenming.web.widgets import use_picker

COURIER_EXPORT = ExportSpec(
    filename="快递员",
    header=[
        "姓名",
        "性别",
        "所属网点",
        "所属企业",
        "岗位",
        "身份证号",
        "手机号",
        "状态",
        "从事收投工作时间",
        "签订劳动合同",
    ],
    row=lambda c: [
        c.name,
        c.get_gender_display(),
        c.outlet.name,
        c.outlet.parent.name if c.outlet.parent_id else "",
        c.get_job_display(),
        c.masked_id_number,
        c.masked_phone,
        c.get_status_display(),
        c.started_delivery_on.isoformat(),
        "是" if c.has_labour_contract else "否",
    ],
    object_type="people.Courier",
    sensitive_params=frozenset({"id_number", "phone"}),
)


@staff_view()
def courier_list_view(request):
    return list_page(
        request,
        queryset=courier_list(user=request.user),
        template="people/courier_list.html",
        filterset_class=CourierFilter,
        export=COURIER_EXPORT,
        context={"can_add": can(request, Action.PEOPLE_MANAGE)},
    )


def _detail_context(request, courier: Courier) -> dict:
    can_reveal = can(request, Action.PII_REVEAL, courier)
    return {
        "courier": courier,
        "can_edit": can(request, Action.PEOPLE_MANAGE, courier),
        "can_reveal": can_reveal,
        "birth_shown": pii.birth_disclosed(courier.birth_date, may_reveal=can_reveal),
        "reveal_fields": REVEAL_FIELDS,
        "moves": courier_moves(user=request.user, courier=courier),
    }


@staff_view()
def courier_detail(request, pk: int):
    courier = courier_get(user=request.user, pk=pk)
    return render(request, "people/courier_detail.html", _detail_context(request, courier))


@staff_view()
@require_POST
def courier_reveal_view(request, pk: int):
    """Show one field in full on this response only (the page is no-store; nothing is cached)."""
    courier = courier_get(user=request.user, pk=pk)
    check(request, Action.PII_REVEAL, courier)
    form = RevealForm(request.POST)
    ctx = _detail_context(request, courier)
    if form.is_valid():
        field = form.cleaned_data["field"]
        try:
            value = courier_reveal(courier=courier, field=field, reason=form.cleaned_data["reason"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            ctx.update(revealed={"label": REVEAL_FIELDS[field], "field": field, "value": value})
            ctx["reveals_left"] = max(0, _limit() - reveals_today(request.user))
            return render(request, "people/courier_detail.html", ctx)
    ctx["reveal_form"] = form
    return render(request, "people/courier_detail.html", ctx, status=422)


def _limit() -> int:
    from django.conf import settings

    return settings.WENMING_UNMASK_DAILY_LIMIT


@staff_view(Action.PEOPLE_MANAGE)
def courier_create_view(request):
    outlets = outlet_choices(user=request.user)
    initial = {"outlet": parse_id(request.GET.get("outlet"))} if parse_id(request.GET.get("outlet")) else None
    form = CourierForm(request.POST or None, outlets=outlets, initial=initial)
    use_picker(form.fields["outlet"], kind="outlet", action=Action.PEOPLE_MANAGE)
    if request.method == "POST" and form.is_valid():
        try:
            courier = courier_create(
                outlet=form.cleaned_data["outlet"],
                fields=form.courier_fields(),
                id_number=form.cleaned_data["id_number"],
                phone=form.cleaned_data["phone"],
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("新增成功"))
            return redirect("people:courier-detail", pk=courier.pk)
    return render(request, "people/courier_form.html", {"form": form}, status=422 if form.errors else 200)


@staff_view()
def courier_edit_view(request, pk: int):
    courier = courier_get(user=request.user, pk=pk)
    check(request, Action.PEOPLE_MANAGE, courier)
    form = CourierForm(request.POST or None, outlets=outlet_choices(user=request.user), instance=courier)
    use_picker(form.fields["outlet"], kind="outlet", action=Action.PEOPLE_MANAGE)
    if request.method == "POST" and form.is_valid():
        try:
            courier_update(
                courier=courier_get(user=request.user, pk=pk),  # fresh row: the form mutated its instance
                fields=form.courier_fields(),
                outlet=form.cleaned_data["outlet"],
                id_number=form.cleaned_data["id_number"],
                phone=form.cleaned_data["phone"],
                **form.move_fields(),
                by=request.user,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("修改成功"))
            return redirect("people:courier-detail", pk=pk)
    ctx = {"form": form, "courier": courier}
    return render(request, "people/courier_form.html", ctx, status=422 if form.errors else 200)


# --- governing bodies ---------------------------------------------------------------------------
MEMBERSHIP_HEADER = ["领导机构", "所属单位", "姓名", "职务", "委内职务", "任职起始", "任职截止"]


@staff_view(Action.SUPERVISE)
def governance(request):
    q = request.GET.get("q", "").strip()
    include_past = request.GET.get("past") == "1"
    if request.GET.get("export") == "csv":
        check(request, Action.EXPORT)
        rows_qs = membership_list(user=request.user, action=Action.EXPORT).order_by(
            "body__organization__path", "body__kind", "sort_order", "id"
        )
        if q:
            from django.db.models import Q

            rows_qs = rows_qs.filter(Q(person_name__icontains=q) | Q(body__name__icontains=q))
        rows = (
            [
                m.body.name,
                m.body.organization.name,
                m.person_name,
                m.post_title,
                m.get_position_display(),
                m.valid_from.isoformat(),
                m.valid_to.isoformat() if m.valid_to else "",
            ]
            for m in rows_qs.iterator(chunk_size=1000)
        )
        return stream_csv(
            request=request,
            filename="领导机构成员.csv",
            header=MEMBERSHIP_HEADER,
            rows=rows,
            object_type="people.Membership",
            filters={"q": q} if q else {},
        )
    bodies = governing_body_list(user=request.user, q=q, include_past=include_past)
    ctx = {
        "bodies": bodies,
        "q": q,
        "past": include_past,
        "can_add_body": body_units(user=request.user).exists(),
        "can_export": can(request, Action.EXPORT),
        "manage": {b.pk for b in bodies if can(request, Action.PEOPLE_MANAGE, b)},
    }
    return render(request, "people/governance.html", ctx)


@staff_view(Action.SUPERVISE)
def body_detail(request, pk: int):
    body = governing_body_get(user=request.user, pk=pk)
    members = list(body.memberships.order_by("sort_order", "valid_from", "id"))
    ctx = {"body": body, "members": members, "can_manage": can(request, Action.PEOPLE_MANAGE, body)}
    return render(request, "people/body_detail.html", ctx)


@staff_view(Action.SUPERVISE)
def body_create(request):
    units = body_units(user=request.user)
    if not units.exists():
        deny(request)
    form = GoverningBodyForm(request.POST or None, units=units)
    use_picker(form.fields["organization"])
    if request.method == "POST" and form.is_valid():
        try:
            body = governing_body_create(**form.cleaned_data, by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("新增成功"))
            return redirect("people:body-detail", pk=body.pk)
    ctx = {"form": form, "title": _("新增领导机构")}
    return render(request, "people/simple_form.html", ctx, status=422 if form.errors else 200)


@staff_view(Action.SUPERVISE)
def membership_add_view(request, pk: int):
    body = governing_body_get(user=request.user, pk=pk)
    check(request, Action.PEOPLE_MANAGE, body)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_add(body=body, **form.cleaned_data, by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("新增成功"))
            return redirect("people:body-detail", pk=body.pk)
    ctx = {"form": form, "title": f"新增成员：{body.name}", "body": body}
    return render(request, "people/simple_form.html", ctx, status=422 if form.errors else 200)


@staff_view(Action.SUPERVISE)
def membership_end_view(request, pk: int):
    membership = membership_get(user=request.user, pk=pk)
    check(request, Action.PEOPLE_MANAGE, membership)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(membership=membership, valid_to=form.cleaned_data["valid_to"], by=request.user)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("已办理离任"))
            return redirect("people:body-detail", pk=membership.body_id)
    ctx = {"form": form, "membership": membership, "body": membership.body}
    return render(request, "people/membership_end.html", ctx, status=422 if form.errors else 200)
