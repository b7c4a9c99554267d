"""Forms of the people pages (validation only; views call services)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenming.core import pii
from wenming.core.forms import BaseForm, BaseModelForm
from wenming.organizations.forms import DATE, chinese_messages

from .models import BodyKind, Courier, Gender, Position
from .services import REVEAL_FIELDS


class OutletChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.parent.name}）" if obj.parent_id else obj.name


class CourierForm(BaseModelForm):
    """Create or edit a courier. On edit, empty ID number / phone keep the stored (encrypted) values."""

    outlet = OutletChoiceField(label=_("所属网点"), queryset=None, empty_label=_("请选择"))
    id_number = forms.CharField(label=_("身份证号"), max_length=30)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)

    class Meta:
        model = Courier
        fields = [
            "outlet",
            "name",
            "gender",
            "birth_date",
            "started_delivery_on",
            "job",
            "status",
            "has_labour_contract",
            "is_party_member",
            "is_league_member",
            "is_union_member",
        ]
        widgets = {"birth_date": DATE, "started_delivery_on": DATE}

    def __init__(self, *args, outlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = outlets
        self.fields["birth_date"].required = False
        self.fields["birth_date"].help_text = _("留空时按身份证号自动填写")
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["phone"].widget.attrs.update(autocomplete="off", inputmode="tel", type="tel")
        if self.instance.pk:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = gettext("当前：%(value)s，不修改请留空") % {
                "value": self.instance.masked_id_number
            }
            self.fields["phone"].help_text = gettext("当前：%(value)s，不修改请留空") % {
                "value": self.instance.masked_phone
            }
            # The full birth date with the outlet's county narrows the ID number to ~45 candidates:
            # it is never pre-filled (blank keeps the stored date, or follows a new ID number).
            self.initial["birth_date"] = None
            born = pii.birth_disclosed(self.instance.birth_date, may_reveal=False)
            self.fields["birth_date"].help_text = gettext("当前：%(born)s出生（不显示完整日期），不修改请留空") % {
                "born": born
            }
        self.fields["gender"].choices = [("", gettext("请选择")), *Gender.choices]
        if self.instance.pk:  # a changed outlet is a transfer (调动): its date and reason go to the history
            self.fields["moved_on"] = forms.DateField(
                label=_("调动日期"), required=False, widget=DATE, help_text=_("更换所属网点时填写，留空为今天")
            )
            self.fields["move_reason"] = forms.CharField(
                label=_("调动原因"),
                max_length=200,
                required=False,
                help_text=_("更换所属网点时填写，如：工作需要调至新网点"),
            )
            order = list(self.fields)
            for name in ("move_reason", "moved_on"):
                order.remove(name)
                order.insert(order.index("outlet") + 1, name)
            self.order_fields(order)
        chinese_messages(self)

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError(_("请输入姓名"))
        return name

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number") or ""
        if not value.strip():
            return ""
        try:
            return pii.parse_id_number(value)
        except pii.ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone") or ""
        if not value.strip():
            return ""
        try:
            return pii.parse_phone(value)
        except pii.ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        id_number = data.get("id_number")
        if id_number:
            born = pii.birth_date_from_id(id_number)
            if data.get("birth_date") is None:
                data["birth_date"] = born
            elif data["birth_date"] != born:
                self.add_error("birth_date", _("出生日期与身份证号码不一致"))
        elif data.get("birth_date") is None and not self.instance.pk and "id_number" not in self.errors:
            self.add_error("birth_date", _("请输入出生日期"))
        elif data.get("birth_date") is None and self.instance.pk:
            data["birth_date"] = self.instance.birth_date
        started = data.get("started_delivery_on")
        if started and started > timezone.localdate():
            self.add_error("started_delivery_on", _("从事收投工作时间不能晚于今天"))
        moved = data.get("moved_on")
        if moved and moved > timezone.localdate():
            self.add_error("moved_on", _("调动日期不能晚于今天"))
        return data

    def move_fields(self) -> dict:
        """The transfer's date and reason (edit form only; used when the outlet changes)."""
        d = self.cleaned_data
        return {"moved_on": d.get("moved_on"), "move_reason": (d.get("move_reason") or "").strip()}

    def courier_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in self.Meta.fields if k != "outlet" and k in d}


class RevealForm(BaseForm):
    field = forms.ChoiceField(label=_("查看项目"), choices=list(REVEAL_FIELDS.items()), widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("查看原因"),
        min_length=5,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：核实评选候选人身份"), "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)
        self.fields["reason"].error_messages["required"] = "请填写查看原因（至少5个字）"
        self.fields["reason"].error_messages["min_length"] = "请填写查看原因（至少5个字）"


class GoverningBodyForm(BaseForm):
    organization = forms.ModelChoiceField(label=_("所属单位"), queryset=None, empty_label=_("请选择"))
    kind = forms.ChoiceField(label=_("类型"), choices=BodyKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    established_on = forms.DateField(label=_("成立日期"), required=False, widget=DATE)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False, help_text=_("如：成立文件文号"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units
        chinese_messages(self)


class MembershipForm(BaseForm):
    person_name = forms.CharField(label=_("姓名"), max_length=50)
    post_title = forms.CharField(label=_("职务"), max_length=100, help_text=_("如：局长、分管副局长、办公室主任"))
    position = forms.ChoiceField(label=_("委内职务"), choices=Position.choices)
    valid_from = forms.DateField(label=_("任职起始"), widget=DATE)
    valid_to = forms.DateField(label=_("任职截止"), required=False, widget=DATE, help_text=_("现任留空"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("任职截止日期不能早于起始日期"))
        return data


class MembershipEndForm(BaseForm):
    valid_to = forms.DateField(label=_("任职截止"), widget=DATE, initial=date.today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_to"].initial = timezone.localdate()
        chinese_messages(self)
