"""Forms of 申诉: the public form, staff intake, the workflow steps, item volumes and the statistics query."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import Organization
from wenming.web.widgets import Picker

from .choices import STAFF_CHANNELS, BusinessType, Category, RefuseReason, Satisfaction
from .permissions import ComplaintAction as CA

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def public_enterprises() -> QuerySet[Organization]:
    """Active enterprises (with their licence row), the city bureau's order first."""
    return (
        Organization.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True, enterprise__isnull=False)
        .select_related("parent")
        .order_by("city_code", "name")
    )


def public_outlets(enterprise_id: int | None) -> QuerySet[Organization]:
    if not enterprise_id:
        return Organization.objects.none()
    ent = Organization.objects.filter(pk=enterprise_id, kind=OrgKind.ENTERPRISE, is_active=True).first()
    if ent is None:
        return Organization.objects.none()
    return Organization.objects.filter(kind=OrgKind.OUTLET, is_active=True, path__startswith=ent.path).order_by("name")


class _ComplaintFields(BaseForm):
    waybill_no = forms.CharField(label=_("运单号"), max_length=40)
    category = forms.ChoiceField(label=_("申诉类别"), choices=Category.choices)
    business_type = forms.ChoiceField(label=_("业务类型"), choices=BusinessType.choices, initial=BusinessType.PARCEL)
    description = forms.CharField(
        label=_("申诉内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明寄递经过、发生的问题和时间"),
    )
    claim = forms.CharField(
        label=_("申诉诉求"), max_length=500, required=False, help_text=_("如：赔偿、道歉、尽快投递")
    )
    complainant_name = forms.CharField(label=_("申诉人姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("用于回访和查询进度，加密保存，页面只显示部分号码"),
    )
    mailed_on = forms.DateField(label=_("寄件日期"), widget=DATE)
    prior_complaint_on = forms.DateField(
        label=_("向企业投诉日期"), widget=DATE, help_text=_("申诉前须先向企业投诉，企业在7日内处理")
    )
    prior_unsatisfied = forms.BooleanField(label=_("企业已答复但不满意"), required=False)
    enterprise_answer = forms.CharField(label=_("企业的处理意见"), max_length=500, required=False)

    def clean_mailed_on(self) -> date:
        d = self.cleaned_data["mailed_on"]
        if d > timezone.localdate():
            raise forms.ValidationError(_("寄件日期不能晚于今天"))
        return d


class PublicComplaintForm(_ComplaintFields):
    """申诉 on the web: enterprise grouped by city, then one of its outlets (optional)."""

    enterprise = forms.ChoiceField(label=_("被申诉企业"))
    outlet = forms.ChoiceField(label=_("网点（选填）"), required=False)

    field_order = [
        "enterprise",
        "outlet",
        "waybill_no",
        "category",
        "business_type",
        "mailed_on",
        "prior_complaint_on",
        "prior_unsatisfied",
        "enterprise_answer",
        "description",
        "claim",
        "complainant_name",
        "phone",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {}
        self._enterprises = {}
        for e in public_enterprises():
            self._enterprises[str(e.pk)] = e
            groups.setdefault(e.parent.name if e.parent else "", []).append((str(e.pk), e.name))
        self.fields["enterprise"].choices = [("", _("请选择")), *groups.items()]
        chosen = self.data.get("enterprise") if self.is_bound else self.initial.get("enterprise")
        self.fields["outlet"].choices = outlet_choices(chosen)
        self.fields["enterprise"].widget.attrs.update(
            {"hx-get": "outlets/", "hx-target": "#id_outlet", "hx-swap": "innerHTML", "hx-trigger": "change"}
        )

    def clean_enterprise(self) -> Organization:
        e = self._enterprises.get(self.cleaned_data["enterprise"])
        if e is None:
            raise forms.ValidationError(_("请选择被申诉的企业"))
        return e

    def clean_outlet(self) -> Organization | None:
        value = self.cleaned_data.get("outlet")
        if not value:
            return None
        return Organization.objects.filter(pk=value, kind=OrgKind.OUTLET).first()


def outlet_choices(enterprise_id: Any) -> list[tuple[str, str]]:
    try:
        pk = int(enterprise_id) if enterprise_id else None
    except (TypeError, ValueError):
        pk = None
    return [("", _("不清楚或不涉及网点")), *((str(o.pk), o.name) for o in public_outlets(pk))]


class LookupForm(BaseForm):
    case_no = forms.CharField(label=_("申诉编号"), max_length=20)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )


class StaffIntakeForm(_ComplaintFields):
    """电话、信函、传真申诉 entered by the centre's staff."""

    channel = forms.ChoiceField(label=_("申诉渠道"), choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    enterprise = forms.ModelChoiceField(
        label=_("被申诉企业"), queryset=Organization.objects.none(), widget=Picker("organizations")
    )
    outlet = forms.ModelChoiceField(
        label=_("网点（选填）"),
        queryset=Organization.objects.none(),
        required=False,
        widget=Picker("organizations", follow="enterprise"),
    )

    field_order = [
        "channel",
        "enterprise",
        "outlet",
        "waybill_no",
        "category",
        "business_type",
        "mailed_on",
        "prior_complaint_on",
        "prior_unsatisfied",
        "enterprise_answer",
        "description",
        "claim",
        "complainant_name",
        "phone",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ents = Organization.objects.visible_to(user, CA.HANDLE).filter(kind=OrgKind.ENTERPRISE, is_active=True)
        self.fields["enterprise"].queryset = ents.order_by("path")
        self.fields["enterprise"].widget.narrow(action=CA.HANDLE, kind=[OrgKind.ENTERPRISE])
        outs = Organization.objects.visible_to(user, CA.HANDLE).filter(kind=OrgKind.OUTLET, is_active=True)
        self.fields["outlet"].queryset = outs.order_by("path")
        self.fields["outlet"].widget.narrow(action=CA.HANDLE, kind=[OrgKind.OUTLET])


class NoteForm(BaseForm):
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RequiredNoteForm(BaseForm):
    note = forms.CharField(label=_("说明"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class RefuseForm(BaseForm):
    reason = forms.ChoiceField(label=_("不予受理原因"), choices=RefuseReason.choices)
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(BaseForm):
    text = forms.CharField(
        label=_("调查核实情况、责任认定和处理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    handler = forms.CharField(label=_("企业经办人"), max_length=50)
    compensation = forms.DecimalField(
        label=_("赔偿金额（元）"), required=False, min_value=0, max_digits=10, decimal_places=2
    )


class ReturnForm(BaseForm):
    reason = forms.CharField(label=_("退回原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


VALID_CHOICES = [("1", _("有效申诉")), ("0", _("无效申诉"))]


class CloseForm(BaseForm):
    is_valid = forms.TypedChoiceField(
        label=_("有效申诉认定"), choices=VALID_CHOICES, coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(label=_("申诉人对处理的满意度"), choices=Satisfaction.choices)
    note = forms.CharField(
        label=_("回访记录"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevealForm(BaseForm):
    reason = forms.CharField(label=_("查看原因"), max_length=200, initial=_("电话回访"))


class VolumeForm(BaseForm):
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Organization.objects.none(), widget=Picker("organizations")
    )
    month = forms.DateField(
        label=_("月份"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    items = forms.IntegerField(label=_("业务量（件）"), min_value=0, max_value=10**12)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ents = Organization.objects.visible_to(user, CA.VOLUME).filter(kind=OrgKind.ENTERPRISE, is_active=True)
        self.fields["enterprise"].queryset = ents.order_by("path")
        self.fields["enterprise"].widget.narrow(action=CA.VOLUME, kind=[OrgKind.ENTERPRISE])


GROUP_CHOICES = [("enterprise", _("按企业")), ("brand", _("按品牌")), ("city", _("按地市"))]


class StatsForm(BaseForm):
    date_from = forms.DateField(label=_("登记日期自"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("至（不含）"), widget=DATE, required=False)
    group = forms.ChoiceField(label=_("统计口径"), choices=GROUP_CHOICES, required=False)
