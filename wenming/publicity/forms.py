"""HTTP input of the publicity pages (no saving here; services write)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wenming.accounts.roles import Action
from wenming.core import pii
from wenming.core.forms import BaseForm
from wenming.core.uploads import UploadRejected, process_images
from wenming.organizations.models import Organization
from wenming.people.models import Courier
from wenming.web.widgets import Picker

from .choices import ConsentScope, ExemplarKind, Medium, NoticeTarget, SuggestionTopic
from .models import Exemplar
from .permissions import PublicityAction as PA

REQ = _("请填写{}")
PHONE_INVALID = _("请输入正确的11位手机号码")


def _req(label: Any) -> dict[str, Any]:
    return {"required": format_lazy(REQ, label), "invalid": format_lazy(_("{}格式不正确"), label)}


def _text(label: Any, max_length: int, *, rows: int = 0, required: bool = True, **kw: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, error_messages=_req(label), **kw
    )


def _date(label: Any, required: bool = True) -> forms.DateField:
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


class OrgChoiceField(forms.ModelChoiceField):
    """A unit of the user's scope, chosen through the searchable picker."""

    widget = Picker("organizations")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("请选择"))
        kwargs.setdefault("queryset", Organization.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


def pick_orgs(field: forms.Field, user: Any, action: str, kinds: list[str] | None = None) -> None:
    field.queryset = orgs_for(user, action, kinds)
    if isinstance(field.widget, Picker):
        field.widget.narrow(action=action, kind=list(kinds or []))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PhotosField(MultipleFileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("JPG、PNG 或 WebP，每张不超过 5 MB，最多 9 张"))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = super().clean(data, initial)
        try:
            return process_images(files, max_files=9)
        except UploadRejected as exc:
            raise forms.ValidationError(exc.message) from exc


# --- 先进典型 ---------------------------------------------------------------------------------------
class ExemplarForm(BaseForm):
    organization = OrgChoiceField(label=_("所在单位"), error_messages={"required": _("请选择所在单位")})
    kind = forms.ChoiceField(label=_("类型"), choices=ExemplarKind.choices)
    courier = forms.ModelChoiceField(
        label=_("关联快递员"),
        queryset=Courier.objects.none(),
        required=False,
        widget=Picker("couriers", follow="organization"),
        help_text=_("个人典型可关联快递员档案；关联后姓名取自档案"),
    )
    name = _text(_("姓名或集体名称"), 60, required=False)
    headline = _text(_("一句话简介"), 100)
    honours = _text(_("所获荣誉"), 2000, rows=3, required=False, help_text=_("每行一项，如：2025年度辽宁省最美快递员"))
    deeds = _text(_("先进事迹"), 6000, rows=8)
    video_url = forms.URLField(
        label=_("视频链接"), max_length=300, assume_scheme="https", required=False, error_messages=_req(_("视频链接"))
    )
    photos = PhotosField(label=_("照片"))

    def __init__(self, *args: Any, user: Any, editing: Exemplar | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            for f in ("organization", "courier"):
                del self.fields[f]
            if editing.courier_id:
                del self.fields["kind"], self.fields["name"]
        else:
            pick_orgs(self.fields["organization"], user, PA.EDIT)
            self.fields["courier"].queryset = Courier.objects.visible_to(user, Action.VIEW)

    def clean(self) -> dict:
        data = super().clean()
        if "name" in self.fields and not data.get("courier") and not (data.get("name") or "").strip():
            self.add_error("name", _("请填写姓名或集体名称，或关联快递员"))
        return data


class ConsentForm(BaseForm):
    consent_by = _text(_("同意人"), 60, help_text=_("本人姓名；集体典型填写代表人"))
    scope = forms.ChoiceField(label=_("同意公开范围"), choices=ConsentScope.choices)
    given_on = _date(_("同意日期"))
    until = _date(_("同意有效期至"), required=False)
    note = _text(_("同意方式"), 200, required=False, help_text=_("如：书面同意书已存档"))


class ReasonForm(BaseForm):
    comment = _text(_("原因"), 500, rows=3, required=False)


# --- 媒体报道 ---------------------------------------------------------------------------------------
class CoverageForm(BaseForm):
    organization = OrgChoiceField(label=_("报送单位"), error_messages={"required": _("请选择报送单位")})
    title = _text(_("报道标题"), 150)
    outlet_name = _text(_("媒体名称"), 80, help_text=_("如：辽宁日报、沈阳电视台、学习强国"))
    medium = forms.ChoiceField(label=_("媒体类型"), choices=Medium.choices)
    published_on = _date(_("刊播日期"))
    url = forms.URLField(
        label=_("报道链接"), max_length=400, assume_scheme="https", required=False, error_messages=_req(_("报道链接"))
    )
    clipping = forms.FileField(
        label=_("报道剪报"), required=False, help_text=_("图片或 PDF、Word，用于报纸、电视截图等没有链接的报道")
    )
    reach = forms.IntegerField(label=_("预估覆盖人次"), min_value=0, max_value=100_000_000, initial=0)
    summary = _text(_("内容摘要"), 2000, rows=3, required=False)
    activity = forms.ModelChoiceField(label=_("相关活动"), queryset=Organization.objects.none(), required=False)
    exemplars = forms.ModelMultipleChoiceField(
        label=_("相关先进典型"), queryset=Exemplar.objects.none(), required=False, widget=forms.SelectMultiple
    )
    honours = _text(_("相关荣誉"), 200, required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organization"]
        else:
            pick_orgs(self.fields["organization"], user, PA.EDIT)
        activity = apps.get_model("activities", "Activity")
        recent = timezone.now() - timedelta(days=400)
        self.fields["activity"].queryset = (
            activity.objects.visible_to(user, Action.VIEW).filter(starts_at__gte=recent).order_by("-starts_at")
        )
        self.fields["activity"].empty_label = _("无")
        self.fields["exemplars"].queryset = Exemplar.objects.visible_to(user, Action.VIEW).order_by("-created_at")


# --- 通知公告 ---------------------------------------------------------------------------------------
class NoticeForm(BaseForm):
    organization = OrgChoiceField(label=_("发文单位"), error_messages={"required": _("请选择发文单位")})
    title = _text(_("标题"), 150)
    body = _text(_("正文"), 10000, rows=10)
    target = forms.ChoiceField(label=_("发送范围"), choices=NoticeTarget.choices)
    target_city = OrgChoiceField(label=_("市局"), required=False, help_text=_("发送范围为“某市的全部企业”时选择"))
    units = forms.ModelMultipleChoiceField(
        label=_("指定单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=Picker("organizations", multiple=True),
        help_text=_("发送范围为“指定单位”时选择"),
    )
    attachments = MultipleFileField(
        label=_("附件"), required=False, widget=MultipleFileInput(), help_text=_("PDF、Word、Excel 或图片，最多 10 个")
    )
    send_now = forms.BooleanField(label=_("保存后立即发送"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pick_orgs(self.fields["organization"], user, PA.NOTICE)
        pick_orgs(self.fields["target_city"], user, Action.VIEW, ["city_bureau"])
        pick_orgs(self.fields["units"], user, Action.VIEW)


# --- 建言献策 ---------------------------------------------------------------------------------------
class SuggestionStaffForm(BaseForm):
    courier = forms.ModelChoiceField(
        label=_("代快递员提交"),
        queryset=Courier.objects.none(),
        required=False,
        widget=Picker("couriers"),
        help_text=_("快递员口头或书面提出的建议，由工作人员代为录入；本人提出的建议不选"),
    )
    topic = forms.ChoiceField(label=_("类别"), choices=SuggestionTopic.choices)
    title = _text(_("标题"), 100)
    content = _text(_("建议内容"), 3000, rows=8)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "maxlength": 11}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courier"].queryset = Courier.objects.visible_to(user, Action.VIEW).filter(status="active")

    def clean_phone(self) -> str:
        v = self.cleaned_data.get("phone") or ""
        if not v:
            return ""
        try:
            return pii.parse_phone(v)
        except pii.ParseError as exc:
            raise forms.ValidationError(PHONE_INVALID) from exc


class SuggestionPublicForm(BaseForm):
    is_courier = forms.TypedChoiceField(
        label=_("您的身份"),
        choices=[("1", _("快递员")), ("0", _("社会公众"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择您的身份")},
    )
    city = forms.ModelChoiceField(
        label=_("所在城市"),
        queryset=Organization.objects.none(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择所在城市")},
        help_text=_("快递员的建议按其所在网点交由对应市局办理"),
    )
    topic = forms.ChoiceField(label=_("类别"), choices=SuggestionTopic.choices)
    title = _text(_("标题"), 100)
    content = _text(_("建议内容"), 3000, rows=8)
    name = _text(_("姓名"), 50)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "maxlength": 11, "inputmode": "numeric"}),
        error_messages={"required": _("请填写手机号码")},
        help_text=_("仅用于办理单位联系您，加密保存，不会公开"),
    )
    agree = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理告知书》"), error_messages={"required": _("请先阅读并勾选同意")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Organization.objects.filter(kind="city_bureau", is_active=True).order_by("code")
        self.fields["city"].label_from_instance = lambda o: o.short_name or o.name

    def clean_phone(self) -> str:
        try:
            return pii.parse_phone(self.cleaned_data.get("phone") or "")
        except pii.ParseError as exc:
            raise forms.ValidationError(PHONE_INVALID) from exc


class RouteForm(BaseForm):
    unit = OrgChoiceField(label=_("办理单位"), error_messages={"required": _("请选择办理单位")})
    comment = _text(_("分办意见"), 500, required=False)

    def __init__(self, *args: Any, user: Any, under: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = ["provincial_bureau", "city_bureau", "enterprise", "branch"]
        field = self.fields["unit"]
        field.queryset = orgs_for(user, PA.HANDLE, kinds).filter(path__startswith=under.path)
        field.widget.narrow(action=PA.HANDLE, kind=kinds, under=under.pk)


class AnswerForm(BaseForm):
    answer = _text(_("答复意见"), 3000, rows=6)


class DecisionForm(BaseForm):
    note = _text(_("采纳说明"), 500, rows=3, required=False)


# --- 价值体系 ---------------------------------------------------------------------------------------
class ValuesForm(BaseForm):
    organization = OrgChoiceField(label=_("企业"), error_messages={"required": _("请选择企业")})
    core_values = _text(_("核心价值"), 1000, rows=3)
    mission = _text(_("使命"), 1000, rows=3)
    vision = _text(_("共同愿景"), 1000, rows=3)
    spirit = _text(_("企业精神"), 1000, rows=3)
    code_of_conduct = _text(_("道德规范"), 3000, rows=6)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organization"]
        else:
            pick_orgs(self.fields["organization"], user, PA.VALUES_EDIT, ["enterprise", "branch"])


class ReviewForm(BaseForm):
    note = _text(_("审核意见"), 500, rows=3, required=False)
