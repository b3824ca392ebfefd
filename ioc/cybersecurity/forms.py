"""R5.6: the forms of the information-security watch: they only parse (the services check and write)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import agency_list
from ioc.common.choices import Severity
from ioc.common.forms import tabler_style
from ioc.common.periods import LOCAL_TZ
from ioc.cybersecurity.choices import LEVEL_CHOICES, AssetKind
from ioc.cybersecurity.models import Asset
from ioc.cybersecurity.selectors import EventQuery


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AssetForm(forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=60)
    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=AssetKind.choices)
    agency = forms.ModelChoiceField(label=_("Cơ quan chủ quản"), queryset=agency_list())
    level = forms.TypedChoiceField(label=_("Cấp độ (Nghị định 85/2016/NĐ-CP)"), choices=LEVEL_CHOICES, coerce=int)
    url = forms.CharField(label=_("Địa chỉ (http/https)"), max_length=500)
    interval_minutes = forms.IntegerField(label=_("Chu kỳ kiểm tra (phút)"), min_value=1, max_value=1440, initial=5)
    dns_expected = forms.CharField(
        label=_("Bản ghi DNS đã đăng ký"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một địa chỉ IP; để trống nếu không kiểm tra DNS."),
    )
    deface_selectors = forms.CharField(
        label=_("Vùng trang theo dõi (bộ chọn CSS)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một bộ chọn, ví dụ #main; để trống: cả trang."),
    )
    forbidden_words = forms.CharField(
        label=_("Từ ngữ không được xuất hiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một từ, cụm từ (không phân biệt dấu)."),
    )
    forbidden_images = forms.CharField(
        label=_("Ảnh tấn công đã biết (dHash)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một mã dHash 16 chữ số hex của ảnh không được xuất hiện (chi tiết lần kiểm tra)."),
    )
    is_active = forms.BooleanField(label=_("Đang theo dõi"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        tabler_style(self)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("dns_expected", "deface_selectors", "forbidden_words"):
            data[name] = _lines(data[name])
        data["forbidden_images"] = [line.lower() for line in _lines(data["forbidden_images"])]
        return data


class EventSourceForm(forms.Form):
    """R5.6: a sender of syslog events (the address is its key: fixed once registered)."""

    address = forms.GenericIPAddressField(label=_("Địa chỉ IP gửi syslog"))
    name = forms.CharField(label=_("Tên nguồn"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=agency_list())
    is_active = forms.BooleanField(label=_("Đang nhận"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["address"]
        tabler_style(self)


class EventRuleForm(forms.Form):
    """R4.1, R5.6: an event rule: which events, how many within which window raise `cyber.event`."""

    code = forms.SlugField(label=_("Mã"), max_length=60)
    name = forms.CharField(label=_("Tên luật"), max_length=200)
    rule_prefix = forms.CharField(
        label=_("Luật của sự kiện bắt đầu bằng"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ syslog:sshd, cef:, wazuh:5710; để trống: mọi sự kiện."),
    )
    min_severity = forms.TypedChoiceField(
        label=_("Mức độ tối thiểu"), choices=Severity.choices, coerce=int, initial=Severity.HIGH
    )
    threshold = forms.IntegerField(label=_("Số lần"), min_value=1, initial=1)
    window_minutes = forms.IntegerField(label=_("Trong khoảng (phút)"), min_value=1, max_value=1440, initial=10)
    is_active = forms.BooleanField(label=_("Đang áp dụng"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        tabler_style(self)


class EventFilterForm(forms.Form):
    since = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    rule = forms.CharField(label=_("Luật (bắt đầu bằng)"), required=False, max_length=200)
    host = forms.CharField(label=_("Máy"), required=False, max_length=255)
    min_severity = forms.TypedChoiceField(
        label=_("Mức độ từ"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *Severity.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def query(self) -> EventQuery:
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since")
        start = dt.datetime.combine(since, dt.time(), tzinfo=LOCAL_TZ) if since else None  # the local day
        return EventQuery(
            since=start, rule=data.get("rule") or "", host=data.get("host") or "", min_severity=data.get("min_severity")
        )


class MalwareReportForm(forms.Form):
    """R5.6: an agency's monthly endpoint report (the month as `YYYY-MM`, a browser's month input)."""

    agency = forms.ModelChoiceField(label=_("Cơ quan báo cáo"), queryset=agency_list())
    month = forms.DateField(
        label=_("Tháng"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    infected = forms.IntegerField(label=_("Số máy nhiễm mã độc"), min_value=0, max_value=1_000_000)
    cleaned = forms.IntegerField(label=_("Số máy đã xử lý"), min_value=0, max_value=1_000_000)
    unprotected = forms.IntegerField(label=_("Số máy chưa được bảo vệ"), min_value=0, max_value=1_000_000)

    def __init__(self, *args: Any, agency_ids: frozenset[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency_ids is not None:  # an agency's people report for their own agencies only
            field = self.fields["agency"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = agency_list().filter(pk__in=agency_ids)
        tabler_style(self)


class VulnerabilityForm(forms.Form):
    """R5.6: a national vulnerability notice and the watched assets it affects."""

    code = forms.CharField(label=_("Mã (CVE, số cảnh báo)"), max_length=60)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    severity = forms.TypedChoiceField(label=_("Mức độ"), choices=Severity.choices, coerce=int)
    published_on = forms.DateField(label=_("Ngày cảnh báo"), widget=forms.DateInput(attrs={"type": "date"}))
    notice_no = forms.CharField(label=_("Số văn bản cảnh báo"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Mô tả"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.CharField(
        label=_("Biện pháp khắc phục"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    working_hours = forms.FloatField(
        label=_("Thời hạn khắc phục (giờ làm việc)"),
        required=False,
        min_value=0.5,
        max_value=2000,
        help_text=_("Để trống: theo mức độ (khẩn cấp 8 giờ, cao 16 giờ, trung bình 40 giờ, thấp 80 giờ)."),
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("Tài sản bị ảnh hưởng"), queryset=Asset.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args: Any, assets: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assets"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = assets if assets is not None else Asset.objects.none()
        tabler_style(self)
