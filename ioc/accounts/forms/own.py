"""Forms of the account pages (R7.2, R7.4): they parse input; the services decide and write."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.accounts import selectors
from ioc.accounts.choices import RequestKind, Role
from ioc.accounts.models import ApiToken, User
from ioc.accounts.uploads import SCAN_MAX_BYTES
from ioc.agencies.models import Agency
from ioc.common.forms import tabler_style

_INPUT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class LoginForm(AuthenticationForm):
    """R7.4: username and password; django-axes counts failures."""

    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng / Wrong username or password. "
            "Đăng nhập sai nhiều lần sẽ bị tạm khóa / Repeated failures lock the account for a while."
        ),
        "inactive": _("Tài khoản đang bị khóa / This account is locked."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập / Username")
        self.fields["password"].label = _("Mật khẩu / Password")
        for field in self.fields.values():
            field.widget.attrs.update(_INPUT)


class CodeForm(forms.Form):
    """R7.4: a 6-digit TOTP code or a backup code."""

    code = forms.CharField(
        label=_("Mã xác thực / Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={**_INPUT, "autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Mật khẩu hiện tại / Current password"), widget=forms.PasswordInput(_INPUT))
    new_password = forms.CharField(label=_("Mật khẩu mới / New password"), widget=forms.PasswordInput(_INPUT))
    new_password_again = forms.CharField(
        label=_("Nhập lại mật khẩu mới / New password again"), widget=forms.PasswordInput(_INPUT)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("Hai mật khẩu mới không khớp / The new passwords differ"))
        return data


class ScanField(forms.FileField):
    """R7.2: the scan of the document, under 10 MB here; its content is checked (and made safe) by the service that
    stores it (`account_request_record` → `scan_clean`), whose refusals land on this field."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value and getattr(value, "size", 0) > SCAN_MAX_BYTES:
            raise forms.ValidationError(_("Tệp bản quét vượt quá 10 MB / The scan is larger than 10 MB"))
        return value


_CHANGE_KINDS = [(value, label) for value, label in RequestKind.choices if value != RequestKind.BOOTSTRAP]
_SCOPE_SPLIT = re.compile(r"[\s,;]+")


class AccountChangeForm(forms.Form):
    """R7.2: one written request (number, date, issuing body, approver, optional scan) and the change it asks."""

    kind = forms.ChoiceField(label=_("Loại yêu cầu / Kind of change"), choices=_CHANGE_KINDS)
    document_no = forms.CharField(label=_("Số văn bản / Document number"), max_length=60)
    document_date = forms.DateField(
        label=_("Ngày văn bản / Document date"), widget=forms.DateInput({**_INPUT, "type": "date"}, format="%Y-%m-%d")
    )
    issuing_body = forms.CharField(label=_("Cơ quan ban hành / Issuing body"), max_length=200)
    approver = forms.ModelChoiceField(label=_("Người phê duyệt / Approver"), queryset=User.objects.none())
    scan = ScanField(label=_("Bản quét (PDF, PNG, JPEG ≤ 10 MB) / Scan"), required=False)
    # The account the change is about (all kinds but "create").
    user = forms.ModelChoiceField(label=_("Tài khoản / Account"), queryset=User.objects.none(), required=False)
    # create
    username = forms.CharField(label=_("Tên đăng nhập / Username"), max_length=150, required=False)
    full_name = forms.CharField(label=_("Họ và tên / Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử / E-mail"), required=False)
    phone = forms.CharField(label=_("Điện thoại / Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu / Initial password"), required=False, widget=forms.PasswordInput(_INPUT)
    )
    # grant / revoke
    role = forms.ChoiceField(label=_("Vai trò / Role"), choices=[("", "—"), *Role.choices], required=False)
    agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị / Agency"), queryset=Agency.objects.none(), required=False)
    unit_code = forms.CharField(label=_("Mã đơn vị hành chính / Unit code"), max_length=8, required=False)
    # reset
    new_password = forms.CharField(
        label=_("Mật khẩu mới / New password"), required=False, widget=forms.PasswordInput(_INPUT)
    )
    reset_totp = forms.BooleanField(label=_("Đặt lại xác thực hai lớp / Reset the second factor"), required=False)
    # issue / revoke token
    scopes = forms.CharField(
        label=_("Phạm vi mã truy cập / Token scopes"),
        required=False,
        help_text="open311.submit, sta.write, cameras.events, incidents.alerts, datahub.push:<dataset>",
    )
    expires_at = forms.DateField(
        label=_("Hết hạn vào ngày / Expires on"),
        required=False,
        widget=forms.DateInput({**_INPUT, "type": "date"}, format="%Y-%m-%d"),
    )
    label = forms.CharField(label=_("Nhãn / Label"), max_length=120, required=False)
    token = forms.ModelChoiceField(label=_("Mã truy cập / Token"), queryset=ApiToken.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = selectors.approver_candidates()  # type: ignore[attr-defined]
        self.fields["user"].queryset = selectors.user_list()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = selectors.agency_list()  # type: ignore[attr-defined]
        self.fields["token"].queryset = selectors.token_list()  # type: ignore[attr-defined]
        tabler_style(self)

    def clean_unit_code(self) -> Any:
        code = (self.cleaned_data.get("unit_code") or "").strip()
        if not code:
            return None
        unit = selectors.unit_by_code(code=code)
        if unit is None:
            raise forms.ValidationError(_("Không tìm thấy đơn vị hành chính (2025) / Unknown 2025 unit code"))
        return unit

    def clean_scopes(self) -> list[str]:
        return [s for s in _SCOPE_SPLIT.split(self.cleaned_data.get("scopes") or "") if s]

    def clean_expires_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("expires_at")
        if day is None:
            return None
        end = dt.datetime.combine(day, dt.time(23, 59, 59))
        return timezone.make_aware(end, timezone.get_default_timezone())

    def change(self) -> dict[str, Any]:
        """The change, keyed as the services name their arguments."""
        data = self.cleaned_data
        names = ["user", "username", "full_name", "email", "phone", "password", "role", "agency", "new_password"]
        names += ["reset_totp", "scopes", "expires_at", "label", "token"]
        change = {name: data.get(name) for name in names}
        change["unit"] = data.get("unit_code")
        return change


# Service error keys that are not form fields go to the form's top.
FIELD_OF_ERROR = {"unit": "unit_code"}
