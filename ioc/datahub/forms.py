"""Forms of the data hub's pages (R1.2c): they parse; the ingest service decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency
from ioc.agencies.selectors import agency_list
from ioc.common.forms import tabler_style
from ioc.common.periods import period_parse
from ioc.datahub.choices import (
    CONNECTOR_INTERVAL_MINUTES,
    CONNECTOR_TIMEOUT_SECONDS,
    ConnectorFormat,
    ConnectorMethod,
    ObligationFrequency,
)
from ioc.datahub.services import ConnectorSettings, max_upload_bytes

ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    """R1.2c: a filled template (.xlsx or CSV), the period it reports, and "check only"."""

    file = forms.FileField(
        label=_("Tệp dữ liệu (.xlsx hoặc .csv)"),
        error_messages={"required": _("Chọn tệp để tải lên")},
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        required=False,
        max_length=10,
        help_text=_("Mã kỳ: 2025, 2025Q3, 202507, 2025W28; bỏ trống nếu tệp có cột kỳ"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "202507"}),
    )
    dry_run = forms.BooleanField(
        label=_("Chỉ kiểm tra, chưa gửi"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ACCEPTED_SUFFIXES):
            raise ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv"))
        if (upload.size or 0) > max_upload_bytes():
            raise ValidationError(_("Tệp quá lớn (tối đa %(mb)d MB)") % {"mb": max_upload_bytes() // 2**20})
        return upload

    def clean_period(self) -> str:
        code = (self.cleaned_data.get("period") or "").strip()
        if code:
            period_parse(code)
        return code


WEEKDAYS = [
    (1, _("Thứ Hai")),
    (2, _("Thứ Ba")),
    (3, _("Thứ Tư")),
    (4, _("Thứ Năm")),
    (5, _("Thứ Sáu")),
    (6, _("Thứ Bảy")),
    (7, _("Chủ nhật")),
]


class ObligationForm(forms.Form):
    """R1.3: an agency's obligation to send the dataset; `obligation_set` checks the combination and writes."""

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Cơ quan có nghĩa vụ gửi"))
    frequency = forms.ChoiceField(choices=ObligationFrequency.choices, label=_("Chu kỳ"))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        label=_("Các thứ trong tuần"),
        help_text=_("Theo lịch gửi mẫu biểu: bỏ trống để theo lịch của địa phương."),
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.IntegerField(required=False, label=_("Ngày trong tháng"))
    month = forms.IntegerField(required=False, label=_("Tháng trong năm (hằng năm)"))
    due_time = forms.CharField(initial="17:00", max_length=5, label=_("Giờ hạn (HH:MM)"))
    remind_before_hours = forms.IntegerField(initial=24, label=_("Nhắc trước hạn (giờ)"))
    remind_after_hours = forms.IntegerField(initial=2, label=_("Đôn đốc sau hạn (giờ)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agency_list()
        tabler_style(self)


class ConnectorForm(forms.Form):
    """R1.2b: a dataset's pull connector; `connector_set` checks and writes. The auth value is never shown back:
    left empty it keeps the stored one, "remove" clears it."""

    url = forms.CharField(label=_("Địa chỉ (URL)"), max_length=500, help_text=_("http:// hoặc https://"))
    method = forms.ChoiceField(label=_("Phương thức"), choices=ConnectorMethod.choices)
    fmt = forms.ChoiceField(label=_("Định dạng phản hồi"), choices=ConnectorFormat.choices)
    json_path = forms.CharField(
        label=_("Đường dẫn JSON tới danh sách bản ghi"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ data.items; bỏ trống nếu phản hồi là một danh sách"),
    )
    auth_header = forms.CharField(
        label=_("Tên tiêu đề xác thực"), required=False, max_length=60, help_text=_("Ví dụ Authorization, X-Api-Key")
    )
    auth_secret = forms.CharField(
        label=_("Giá trị xác thực"),
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Được mã hoá khi lưu và không bao giờ hiển thị lại; bỏ trống để giữ giá trị đã lưu"),
    )
    auth_secret_remove = forms.BooleanField(label=_("Xoá giá trị xác thực đã lưu"), required=False)
    interval_minutes = forms.IntegerField(
        label=_("Chu kỳ chạy (phút)"),
        initial=60,
        min_value=CONNECTOR_INTERVAL_MINUTES[0],
        max_value=CONNECTOR_INTERVAL_MINUTES[1],
    )
    timeout_seconds = forms.IntegerField(
        label=_("Thời gian chờ tối đa (giây)"),
        initial=15,
        min_value=CONNECTOR_TIMEOUT_SECONDS[0],
        max_value=CONNECTOR_TIMEOUT_SECONDS[1],
    )
    is_active = forms.BooleanField(label=_("Chạy theo lịch"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def settings(self) -> ConnectorSettings:
        data = dict(self.cleaned_data)
        remove = data.pop("auth_secret_remove")
        secret = data.pop("auth_secret") or None
        return ConnectorSettings(**data, auth_secret="" if remove else secret)
