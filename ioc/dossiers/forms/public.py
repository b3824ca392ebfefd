"""Citizens' lookup form (R5.3): the dossier code and the phone or ID number given at receipt."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style

_INPUT = {"autocomplete": "off", "spellcheck": "false", "class": "form-control form-control-lg"}


class LookupForm(forms.Form):
    code = forms.CharField(
        max_length=60,
        label=_("Mã hồ sơ"),
        error_messages={"required": _("Vui lòng nhập mã hồ sơ")},
        widget=forms.TextInput(attrs={**_INPUT, "autocapitalize": "characters"}),
    )
    contact = forms.CharField(
        max_length=40,
        label=_("Số điện thoại hoặc số định danh"),
        error_messages={"required": _("Vui lòng nhập số điện thoại hoặc số định danh đã khai khi nộp")},
        widget=forms.TextInput(attrs={**_INPUT, "inputmode": "numeric"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        tabler_style(self)

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code", "")).strip()
        if not re.fullmatch(r"[\w.\-/]+", code):
            raise forms.ValidationError(_("Mã hồ sơ gồm chữ, số và dấu . - /"), code="invalid_code")
        return code

    def clean_contact(self) -> str:
        contact = re.sub(r"[\s.\-+()]", "", str(self.cleaned_data.get("contact", "")))
        if not re.fullmatch(r"\d{9,12}", contact):
            raise forms.ValidationError(_("Cần 9–12 chữ số"), code="invalid_contact")
        return contact
