"""Forms of the organisation pages (no saving here: views call services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wenming.accounts.forms import NewPasswordMixin
from wenming.accounts.models import User
from wenming.accounts.services import BUSINESS_ROLES
from wenming.core.forms import BaseForm

from .choices import MassOrgType, NetworkType, OrgKind, OutletStatus, OutletType
from .divisions import city_choices, counties_of
from .models import Brand, Organization
from .services import ALLOWED_PARENTS

USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def chinese_messages(form: BaseForm) -> None:
    """Field-level messages in plain Chinese instead of Django's generic ones (ui.md §2.4)."""
    for f in form.fields.values():
        verb = "请选择" if isinstance(f, forms.ChoiceField | forms.ModelChoiceField) else "请输入"
        f.error_messages.setdefault("required", f"{verb}{f.label}")
        f.error_messages["required"] = f"{verb}{f.label}"
        if isinstance(f, forms.DateField):
            f.error_messages["invalid"] = f"{f.label}格式应为 2026-11-27"
        if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
            f.error_messages["invalid_choice"] = f"所选{f.label}无效，请重新选择"
        if isinstance(f, forms.CharField) and f.max_length:
            f.error_messages["max_length"] = f"{f.label}不能超过{f.max_length}个字"


def kinds_under(parent: Organization) -> list[tuple[str, str]]:
    """Node kinds that may be created under ``parent`` (the tree is regulatory)."""
    return [(k.value, k.label) for k in OrgKind if parent.kind in ALLOWED_PARENTS.get(k, set())]


class OrgCreateForm(BaseForm):
    """A new node and, for enterprises and outlets, its profile."""

    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    code = forms.CharField(label=_("代码"), max_length=32, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    # enterprise / branch
    brand = forms.ModelChoiceField(label=_("品牌"), queryset=Brand.objects.all(), empty_label=_("请选择"))
    licence_no = forms.CharField(label=_("快递业务经营许可证号"), max_length=40, required=False)
    licence_valid_to = forms.DateField(label=_("许可证有效期至"), required=False, widget=DATE)
    network_type = forms.ChoiceField(label=_("经营方式"), choices=NetworkType.choices, initial=NetworkType.DIRECT)
    # outlet
    outlet_type = forms.ChoiceField(label=_("网点类型"), choices=OutletType.choices, initial=OutletType.SERVICE_POINT)
    county_code = forms.ChoiceField(label=_("区县"))
    is_rural = forms.TypedChoiceField(
        label=_("城乡"),
        choices=[("0", _("城市")), ("1", _("农村"))],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )
    opened_on = forms.DateField(label=_("开办日期"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("状态"), choices=OutletStatus.choices, initial=OutletStatus.OPEN)
    # mass organisation
    mass_type = forms.ChoiceField(label=_("群团类型"), choices=MassOrgType.choices)

    ENTERPRISE_FIELDS = ("brand", "licence_no", "licence_valid_to", "network_type")
    OUTLET_FIELDS = ("brand", "outlet_type", "county_code", "is_rural", "opened_on", "status")

    def __init__(self, *args, parent: Organization, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent, self.kind = parent, kind
        keep = {"name", "short_name", "code", "address", "contact_phone"}
        if kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH):
            keep |= set(self.ENTERPRISE_FIELDS)
        if kind == OrgKind.OUTLET:
            keep |= set(self.OUTLET_FIELDS)
            keep.discard("code")
            self.fields["county_code"].choices = [("", "请选择")] + [
                (d.code, d.name) for d in counties_of(parent.city_code)
            ]
            self.fields["address"].required = True
        if kind == OrgKind.MASS_ORGANISATION:
            keep.add("mass_type")
        if kind == OrgKind.CITY_BUREAU:
            self.fields["code"] = forms.ChoiceField(label=_("区划代码"), choices=[("", _("请选择"))] + city_choices())
        elif kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH):
            self.fields["code"].label = _("统一社会信用代码")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        chinese_messages(self)

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if code and self.kind in (OrgKind.ENTERPRISE, OrgKind.BRANCH) and not USCC.match(code):
            raise forms.ValidationError(_("统一社会信用代码应为18位数字或大写字母"))
        return code

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请输入名称"))
        return name

    def split(self) -> tuple[dict, dict | None, dict | None, dict | None]:
        """(node fields, enterprise profile, outlet profile, mass-organisation profile)."""
        d = self.cleaned_data
        fields = {k: d[k] for k in ("short_name", "code", "address", "contact_phone") if k in d and d[k]}
        ent = {k: d[k] for k in self.ENTERPRISE_FIELDS} if "licence_no" in self.fields else None
        out = {k: d[k] for k in self.OUTLET_FIELDS} if "county_code" in self.fields else None
        mass = {"mass_type": d["mass_type"]} if "mass_type" in self.fields else None
        return fields, ent, out, mass


class OrgMoveForm(BaseForm):
    new_parent = forms.ModelChoiceField(
        label=_("新的上级"), queryset=Organization.objects.none(), empty_label=_("请选择")
    )
    reason = forms.CharField(label=_("调整原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = targets
        chinese_messages(self)


class OrgActiveForm(BaseForm):
    reason = forms.CharField(label=_("原因"), max_length=200, min_length=2, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)
        self.fields["reason"].error_messages["min_length"] = "原因至少2个字"


class SealForm(forms.Form):
    image = forms.FileField(
        label=_("印章图像"),
        help_text=_("白底红章的 JPG 或 PNG 图片，不超过 2 MB；印在本单位出具的志愿服务记录证明上"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)
        self.fields["image"].error_messages["required"] = "请选择印章图像"
        self.fields["image"].widget.attrs["accept"] = "image/png,image/jpeg,image/webp"


# User administration: the unit of an account and the node of a role grant are chosen on the tree.


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{'　' * obj.depth}{obj.name}（{obj.get_kind_display()}）"


class UserCreateForm(NewPasswordMixin, BaseForm):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.\-]{3,30}$",
        error_messages={"required": _("请输入用户名"), "invalid": _("用户名为 3～30 位字母、数字或 _ . -")},
    )
    display_name = forms.CharField(
        label=_("姓名"),
        max_length=50,
        error_messages={"required": _("请输入姓名"), "max_length": _("姓名不能超过 50 字")},
    )
    home_organization = OrgChoiceField(
        label=_("所属单位"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请选择有效的单位")},
    )
    new_password1 = forms.CharField(
        label=_("初始密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入初始密码")}
    )
    new_password2 = forms.CharField(
        label=_("确认初始密码"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("请再次输入初始密码")},
    )

    def __init__(self, *args: Any, org_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org_queryset is not None:
            self.fields["home_organization"].queryset = org_queryset

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(_("用户名已存在"))
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        self.policy_user = User(
            username=cleaned.get("username") or "", home_organization=cleaned.get("home_organization")
        )
        self._clean_new_passwords(cleaned)
        return cleaned


class RoleGrantForm(BaseForm):
    organization = OrgChoiceField(
        label=_("授权机构"),
        queryset=Organization.objects.none(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择授权机构"), "invalid_choice": _("请选择有效的机构")},
    )
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[("", _("请选择"))] + [(r.value, r.label) for r in BUSINESS_ROLES],
        error_messages={"required": _("请选择角色"), "invalid_choice": _("请选择有效的角色")},
    )

    def __init__(self, *args: Any, org_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if org_queryset is not None:
            self.fields["organization"].queryset = org_queryset
