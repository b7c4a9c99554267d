"""HTTP input of the activities pages (no saving here; services write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenming.accounts.models import User
from wenming.accounts.roles import Action
from wenming.activities.permissions import ActivityAction as AA
from wenming.core.forms import BaseForm
from wenming.core.uploads import UploadRejected, process_images
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.web.picker import staff_in_scope
from wenming.web.widgets import Picker

from .choices import ActivityStatus, CoreValue, PairingStatus, PartnerType, PostalValue, VolunteerRecordStatus
from .models import ActivityType, Pairing

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
REQ = _("请填写{}")


def _req(label: str) -> dict[str, str]:
    return {"required": format_lazy(REQ, label), "invalid": format_lazy(_("{}格式不正确"), label)}


def _dt_field(label: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": format_lazy(REQ, label),
            "invalid": format_lazy(_("{}格式应为 2026-11-27 14:08"), label),
        },
    )


def _date_field(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": format_lazy(REQ, label), "invalid": format_lazy(_("{}格式应为 2026-11-27"), label)},
    )


def orgs_for(user: Any, action: str, kinds: list[str] | None = None) -> QuerySet[Organization]:
    qs = Organization.objects.visible_to(user, action).filter(is_active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("path")


def pick_orgs(field: forms.Field, user: Any, action: str, kinds: list[str] | None = None) -> None:
    """The field's queryset (the whole scope for ``action``) and its picker's search, in one step."""
    field.queryset = orgs_for(user, action, kinds)
    if isinstance(field.widget, Picker):
        field.widget.narrow(action=action, kind=list(kinds or []))


def staff_for(user: Any) -> QuerySet[User]:
    return staff_in_scope(user, Action.VIEW)


class OrgChoiceField(forms.ModelChoiceField):
    """A unit of the user's scope, chosen through the searchable picker."""

    widget = Picker("organizations")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("请选择"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organization) -> str:
        return ("　" * max(0, obj.depth - 1)) + obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActivityForm(BaseForm):
    """Create or edit an activity of one type; the type's figure fields are added as ``fig_<key>``."""

    organization = OrgChoiceField(
        label=_("组织单位"), queryset=Organization.objects.none(), error_messages={"required": _("请选择组织单位")}
    )
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages=_req("活动名称"))
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"), required=False)
    outlet = OrgChoiceField(label=_("活动网点"), queryset=Organization.objects.none(), required=False)
    address = forms.CharField(
        label=_("活动地点"), max_length=200, required=False, help_text=_("不在网点举办时填写地址")
    )
    couriers = forms.ModelMultipleChoiceField(
        label=_("参与快递员"),
        queryset=Courier.objects.none(),
        required=False,
        widget=Picker("couriers", multiple=True, follow="organization"),
        help_text=_("搜索时只列出所选组织单位下属网点的快递员"),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("参与工作人员"),
        queryset=User.objects.none(),
        required=False,
        widget=Picker("users", multiple=True),
    )
    participant_count = forms.IntegerField(
        label=_("参与人数"),
        min_value=0,
        required=False,
        error_messages={"min_value": _("参与人数不能为负数"), "invalid": _("请输入整数")},
    )
    beneficiaries = forms.CharField(label=_("服务对象"), max_length=200, required=False)
    beneficiary_count = forms.IntegerField(
        label=_("受益人数"),
        min_value=0,
        required=False,
        error_messages={"min_value": _("受益人数不能为负数"), "invalid": _("请输入整数")},
    )
    core_values = forms.MultipleChoiceField(
        label=_("社会主义核心价值观"), choices=CoreValue.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    postal_values = forms.MultipleChoiceField(
        label=_("邮政行业4S价值观"), choices=PostalValue.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("活动内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}), error_messages=_req("活动内容")
    )
    pairing = forms.ModelChoiceField(
        label=_("所属结对共建"), queryset=Pairing.objects.none(), required=False, empty_label=_("无")
    )
    photos = MultipleFileField(label=_("佐证照片"), required=False, help_text=_("JPG、PNG 或 WebP，每张不超过 5 MB"))

    def __init__(self, *args: Any, user: Any, activity_type: ActivityType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity_type = activity_type
        pick_orgs(self.fields["organization"], user, AA.ACTIVITY_RECORD)
        pick_orgs(self.fields["outlet"], user, Action.VIEW, ["outlet"])
        self.fields["couriers"].queryset = Courier.objects.visible_to(user, Action.VIEW).filter(status="active")
        self.fields["staff"].queryset = staff_for(user)
        self.fields["pairing"].queryset = Pairing.objects.visible_to(user, AA.ACTIVITY_RECORD).filter(
            status=PairingStatus.ACTIVE
        )
        self.fields["photos"].help_text = gettext("%(help)s；本类型至少 %(n)s 张") % {
            "help": self.fields["photos"].help_text,
            "n": activity_type.min_photos,
        }
        for f in activity_type.figure_fields or []:
            self.fields[f"fig_{f['key']}"] = forms.IntegerField(
                label=f["label"],
                min_value=0,
                required=False,
                error_messages={"min_value": f"{f['label']}不能为负数", "invalid": _("请输入整数")},
            )

    def figure_field_names(self) -> list[str]:
        return [n for n in self.fields if n.startswith("fig_")]

    def clean_photos(self) -> list:
        files = self.cleaned_data.get("photos") or []
        try:
            return process_images(files)
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict:
        data = super().clean()
        s, e = data.get("starts_at"), data.get("ends_at")
        if s and e and e < s:
            self.add_error("ends_at", _("结束时间不能早于开始时间"))
        if not data.get("outlet") and not (data.get("address") or "").strip():
            self.add_error("address", _("请选择活动网点或填写活动地点"))
        return data

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {
            k: d.get(k)
            for k in (
                "title",
                "starts_at",
                "ends_at",
                "outlet",
                "address",
                "participant_count",
                "beneficiaries",
                "beneficiary_count",
                "core_values",
                "postal_values",
                "description",
                "pairing",
            )
        }
        out["figures"] = {n[4:]: d.get(n) for n in self.figure_field_names() if d.get(n) is not None}
        return out


class PhotoAddForm(BaseForm):
    photos = MultipleFileField(label=_("补充照片"), required=True, error_messages={"required": _("请选择照片")})

    def clean_photos(self) -> list:
        try:
            return process_images(self.cleaned_data.get("photos") or [])
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from exc


class CommentForm(BaseForm):
    comment = forms.CharField(label=_("意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ActivityFilterForm(BaseForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    activity_type = forms.ModelChoiceField(
        label=_("活动类型"), queryset=ActivityType.objects.all(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *ActivityStatus.choices], required=False)
    organization = OrgChoiceField(
        label=_("单位"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    date_from = _date_field(_("开始日期"))
    date_to = _date_field(_("截止日期"))
    core_value = forms.ChoiceField(label=_("核心价值观"), choices=[("", _("全部")), *CoreValue.choices], required=False)
    postal_value = forms.ChoiceField(
        label=_("4S价值观"), choices=[("", _("全部")), *PostalValue.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick_orgs(
            self.fields["organization"],
            user,
            Action.VIEW,
            ["provincial_bureau", "division", "city_bureau", "section", "enterprise", "branch"],
        )


class PairingForm(BaseForm):
    organization = OrgChoiceField(
        label=_("共建单位"), queryset=Organization.objects.none(), error_messages={"required": _("请选择共建单位")}
    )
    partner_name = forms.CharField(label=_("结对对象名称"), max_length=100, error_messages=_req("结对对象名称"))
    partner_type = forms.ChoiceField(
        label=_("对象类型"), choices=PartnerType.choices, error_messages={"required": _("请选择对象类型")}
    )
    title = forms.CharField(label=_("共建项目"), max_length=100, error_messages=_req("共建项目"))
    plan = forms.CharField(
        label=_("共建计划"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}), error_messages=_req("共建计划")
    )
    goals = forms.CharField(
        label=_("共建目标"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), error_messages=_req("共建目标")
    )
    period_start = _date_field(_("起始日期"), required=True)
    period_end = _date_field(_("截止日期"), required=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick_orgs(self.fields["organization"], user, AA.ACTIVITY_RECORD)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("截止日期不能早于起始日期"))
        return data


class VolunteerEventForm(BaseForm):
    organization = OrgChoiceField(
        label=_("组织单位"), queryset=Organization.objects.none(), error_messages={"required": _("请选择组织单位")}
    )
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages=_req("活动名称"))
    place = forms.CharField(label=_("服务地点"), max_length=200, error_messages=_req("服务地点"))
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"))
    description = forms.CharField(
        label=_("服务内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(
        label=_("招募人数"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("0 表示不限"),
        error_messages={"min_value": _("招募人数不能为负数"), "invalid": _("请输入整数")},
    )
    auto_checkout_hours = forms.IntegerField(
        label=_("自动签退时长（小时）"),
        min_value=1,
        max_value=24,
        initial=4,
        error_messages={
            "required": _("请填写自动签退时长"),
            "min_value": _("自动签退时长应在 1 到 24 小时之间"),
            "max_value": _("自动签退时长应在 1 到 24 小时之间"),
            "invalid": _("请输入整数"),
        },
    )
    signup_open = forms.BooleanField(label=_("开放报名"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick_orgs(self.fields["organization"], user, AA.ACTIVITY_RECORD)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("结束时间不能早于开始时间"))
        return data


class SignupAddForm(BaseForm):
    courier = forms.ModelChoiceField(
        label=_("快递员"), queryset=Courier.objects.none(), required=False, widget=Picker("couriers")
    )
    user = forms.ModelChoiceField(
        label=_("工作人员"), queryset=User.objects.none(), required=False, widget=Picker("users")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = Courier.objects.visible_to(user, Action.VIEW).filter(status="active")
        self.fields["user"].queryset = staff_for(user)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("courier")) == bool(data.get("user")):
            raise forms.ValidationError(_("请选择一名快递员或一名工作人员（二选一）"))
        return data


class EventCancelForm(BaseForm):
    reason = forms.CharField(
        label=_("取消原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_req("取消原因"),
        help_text=_("将通知所有已报名的人员"),
    )


class ApproveForm(BaseForm):
    hours = forms.DecimalField(
        label=_("认定时长（小时）"),
        min_value=0,
        max_value=24,
        decimal_places=1,
        error_messages={
            "required": _("请填写认定时长"),
            "invalid": _("认定时长应为数字，如 2.5"),
            "min_value": _("认定时长应在 0 到 24 小时之间"),
            "max_value": _("认定时长应在 0 到 24 小时之间"),
            "max_decimal_places": _("认定时长最多保留 1 位小数"),
        },
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=150,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("认定时长超过实测时长时必须填写"),
    )


class DeclineForm(BaseForm):
    reason = forms.CharField(label=_("不予认定原因"), max_length=200, error_messages=_req("不予认定原因"))


class HoursFilterForm(BaseForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *VolunteerRecordStatus.choices], required=False
    )
    organization = OrgChoiceField(
        label=_("单位"), queryset=Organization.objects.none(), required=False, empty_label=_("全部")
    )
    date_from = _date_field(_("开始日期"))
    date_to = _date_field(_("截止日期"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick_orgs(
            self.fields["organization"],
            user,
            Action.VIEW,
            ["provincial_bureau", "division", "city_bureau", "section", "enterprise", "branch", "outlet"],
        )


class CheckInForm(BaseForm):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    code = forms.CharField(
        label=_("手机号后4位或签到码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写手机号后4位或签到码")},
        help_text=_("快递员可填手机号后4位或完整手机号；也可填报名时获得的6位签到码"),
    )
