"""Upload and list-filter forms for imports."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm

from .models import ImportKind, ImportStatus


class UploadForm(BaseForm):
    """One .xlsx file; the size is checked before its bytes are read (the content checks follow)."""

    file = forms.FileField(
        label=_("Excel 文件"),
        error_messages={
            "required": _("请选择要上传的 Excel 文件"),
            "empty": _("上传的文件是空的"),
            "invalid": _("无法读取上传的文件，请重新选择"),
            "missing": _("请选择要上传的 Excel 文件"),
            "max_length": _("文件名过长，请改短后再上传"),
        },
        max_length=200,
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name or ""
        if not name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只支持 .xlsx 格式的 Excel 文件（请不要上传 .xls、.csv 或其他格式）"))
        limit = settings.WENMING_IMPORT_MAX_BYTES
        if f.size > limit:
            raise forms.ValidationError(f"文件超过 {limit // (1024 * 1024)} MB，请拆分后分批导入")
        return f

    def read_bytes(self) -> bytes:
        f = self.cleaned_data["file"]
        f.seek(0)
        return f.read(settings.WENMING_IMPORT_MAX_BYTES + 1)


class BatchFilterForm(BaseForm):
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        choices=[("", _("全部类型")), *ImportKind.choices],
        error_messages={"invalid_choice": _("请选择有效的类型")},
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *ImportStatus.choices],
        error_messages={"invalid_choice": _("请选择有效的状态")},
    )
    filename = forms.CharField(
        label=_("文件名"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("请输入文件名")}),
        error_messages={"max_length": _("文件名不能超过100个字")},
    )

    def filter(self, qs):
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("filename"):
            qs = qs.filter(filename__icontains=d["filename"])
        return qs

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
