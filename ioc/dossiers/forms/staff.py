"""IOC staff forms of dossiers (R4.2): the reason to dismiss a violation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do loại bỏ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        error_messages={"required": _("Cần nêu lý do loại bỏ")},
    )
