from django import forms
from django.utils.translation import gettext_lazy as _

from wenming.core.forms import BaseForm


class RevokeForm(BaseForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
