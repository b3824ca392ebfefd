"""Forms of the federation configuration pages (R9.1, "Quản trị"): they only parse; the services check and write
(a bad address, a flow the role does not take, a key request that is not pending, an unknown or duplicate code are
the services' errors, put on the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.accounts.models import AccountRequest
from ioc.common.forms import tabler_style
from ioc.federation.choices import Flow, LinkRole, MappingKind


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace("\n", ",").split(",") if code.strip()]


class LinkForm(forms.Form):
    """A link's name, address, agreed flows and indicators (code and role only when it is created)."""

    code = forms.CharField(label=_("Mã liên kết"), max_length=60, help_text=_("Chữ thường, số, gạch nối"))
    role = forms.ChoiceField(label=_("Vai trò của trung tâm bên kia"), choices=LinkRole.choices)
    name = forms.CharField(label=_("Tên trung tâm"), max_length=200)
    base_url = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        required=False,
        help_text=_("https://ioc.tinh.gov.vn (bắt buộc trừ cấp dưới)"),
    )
    flows = forms.MultipleChoiceField(
        label=_("Luồng dữ liệu đã thỏa thuận"),
        choices=Flow.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicator_codes = forms.CharField(
        label=_("Mã chỉ số gửi đi"), required=False, max_length=2000, help_text=_("Cách nhau bởi dấu phẩy")
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"], self.fields["role"]
        else:
            del self.fields["is_active"]
        tabler_style(self)

    def clean_indicator_codes(self) -> list[str]:
        return _codes(str(self.cleaned_data.get("indicator_codes") or ""))


class KeysForm(forms.Form):
    """R9.1, R7.2: the key id and secret of a link, set on a pending written request (the secret shown once)."""

    account_request = forms.ModelChoiceField(
        label=_("Văn bản đề nghị cấp mã truy cập"), queryset=AccountRequest.objects.none(), empty_label=None
    )
    key_id = forms.CharField(label=_("Mã khóa"), max_length=60)
    secret = forms.CharField(
        label=_("Khóa bí mật của bên kia"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Để trống: tạo khóa mới, hiện một lần để gửi cho trung tâm bên kia"),
    )

    def __init__(self, *args: Any, requests: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account_request"].queryset = requests  # type: ignore[attr-defined]
        tabler_style(self)


class MappingForm(forms.Form):
    """R9.1 "Mapping": a code the other center sends and the code it means here."""

    kind = forms.ChoiceField(label=_("Loại mã"), choices=MappingKind.choices)
    remote_code = forms.CharField(label=_("Mã bên kia"), max_length=80)
    local_code = forms.CharField(label=_("Mã tại đây"), max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)
