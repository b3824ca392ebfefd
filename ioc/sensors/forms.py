"""Forms of the sensors pages (R4.1, R5.2): they only parse; the services check and write."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity
from ioc.common.forms import tabler_style
from ioc.geo.models import AdminUnit
from ioc.geo.selectors import UnitNotFoundError, UnitRefError, unit_get
from ioc.incidents.choices import KIND_CHOICES
from ioc.sensors.choices import OPERATORS, SILENCE_KIND_LABELS, SILENCE_KINDS, Sensitivity
from ioc.sensors.rule_areas import RULE_MAX_VERTICES
from ioc.sensors.rules_catalogue import AGGREGATE_LABELS, PROPERTY_CHOICES

OPS = [(op, op) for op in OPERATORS]
# A drawn area of RULE_MAX_VERTICES vertices is about 40 characters a vertex in JSON.
AREA_TEXT_MAX = 40 * RULE_MAX_VERTICES


def _unit(code: str) -> AdminUnit | None:
    if not code:
        return None
    try:
        return unit_get(ref=code, with_geometry=True)
    except (UnitRefError, UnitNotFoundError) as error:
        raise forms.ValidationError(_("Không có đơn vị này / Unknown unit")) from error


def _labels(text: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError(_("Mỗi dòng một nhãn dạng tên=giá trị / One name=value per line"))
        labels[key.strip()] = value.strip()
    return labels


class RuleForm(forms.Form):
    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    observed_property = forms.ChoiceField(label=_("Đại lượng / Property"), choices=PROPERTY_CHOICES)
    kind = forms.ChoiceField(label=_("Loại cảnh báo / Alert kind"), choices=KIND_CHOICES)
    severity = forms.TypedChoiceField(label=_("Mức độ / Severity"), choices=Severity.choices, coerce=int)
    raise_op = forms.ChoiceField(label=_("Báo khi / Raise when"), choices=OPS)
    raise_value = forms.FloatField(label=_("Ngưỡng báo / Raise level"))
    clear_op = forms.ChoiceField(label=_("Hết khi / Clear when"), choices=OPS, initial="<=")
    clear_value = forms.FloatField(label=_("Ngưỡng hết / Clear level"))
    for_seconds = forms.IntegerField(label=_("Kéo dài (giây) / For (seconds)"), initial=0)
    repeat_count = forms.IntegerField(label=_("Số lần liên tiếp / Repeat count"), initial=1)
    no_data_intervals = forms.IntegerField(
        label=_("Mất số liệu sau N chu kỳ (0: tắt) / No data after N intervals"), initial=0
    )
    expected_interval_seconds = forms.IntegerField(label=_("Chu kỳ gửi (giây) / Expected interval (s)"), initial=900)
    window_seconds = forms.IntegerField(
        label=_("Cửa sổ tính gộp (giây; 86400: tổng 24 giờ; 0: từng số đo) / Window (s; 86400: 24-hour total)"),
        initial=0,
        required=False,
    )
    aggregate = forms.ChoiceField(
        label=_("Cách tính gộp / Aggregate"),
        choices=list(AGGREGATE_LABELS.items()),
        initial="sum",
        required=False,
    )
    unit = forms.CharField(label=_("Khu vực: mã đơn vị 2025 / Area: 2025 unit code"), required=False, max_length=40)
    area = forms.CharField(
        label=_("Hoặc vùng theo dõi (JSON) / Or a watched area (JSON)"),
        required=False,
        max_length=AREA_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_(
            'Điểm và bán kính {"point": [vĩ độ, kinh độ], "radius_m": 2000} hoặc vùng vẽ {"geometry": GeoJSON '
            "Polygon}, như vùng chọn trên Bản đồ số / A point and radius or a drawn polygon, as the map selects"
        ),
    )
    labels = forms.CharField(
        label=_("Nhãn (tên=giá trị) / Labels (name=value)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Đang dùng / Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def clean_unit(self) -> AdminUnit | None:
        return _unit(self.cleaned_data["unit"].strip())

    def clean_area(self) -> dict[str, Any] | None:
        """The area as a JSON object; the service checks what it says (`ioc.sensors.rule_areas`)."""
        text = self.cleaned_data["area"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as error:  # RecursionError: nesting too deep
            raise forms.ValidationError(_("Vùng theo dõi phải là một đối tượng JSON / Not a JSON object")) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Vùng theo dõi phải là một đối tượng JSON / Not a JSON object"))
        return value

    def clean_labels(self) -> dict[str, str]:
        return _labels(self.cleaned_data["labels"])

    def clean_window_seconds(self) -> int:
        return self.cleaned_data["window_seconds"] or 0

    def clean_aggregate(self) -> str:
        return self.cleaned_data["aggregate"] or "sum"


WEEKDAYS = [
    (0, _("Thứ Hai / Mon")),
    (1, _("Thứ Ba / Tue")),
    (2, _("Thứ Tư / Wed")),
    (3, _("Thứ Năm / Thu")),
    (4, _("Thứ Sáu / Fri")),
    (5, _("Thứ Bảy / Sat")),
    (6, _("Chủ nhật / Sun")),
]


class SilenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại / Kind"), choices=[(k, SILENCE_KIND_LABELS[k]) for k in SILENCE_KINDS])
    matchers = forms.CharField(
        label=_("Điều kiện nhãn (tên=giá trị) / Matchers (name=value)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("rule, property, severity, kind, thing, datastream, agency hoặc nhãn của quy tắc"),
    )
    starts_at = forms.DateTimeField(label=_("Từ / From"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Đến / Until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    daily_start = forms.TimeField(
        label=_("Lặp lại hằng ngày từ (giờ Việt Nam) / Recurring daily from (Vietnam time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    daily_end = forms.TimeField(
        label=_("đến (trước giờ bắt đầu: qua nửa đêm) / until (before the start: past midnight)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Vào các ngày (không chọn: mọi ngày) / On (none: every day)"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Lý do / Reason"), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def clean_matchers(self) -> dict[str, str]:
        return _labels(self.cleaned_data["matchers"])


class CameraForm(forms.Form):
    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    agency = forms.IntegerField(widget=forms.Select, label=_("Cơ quan / Agency"))
    lat = forms.FloatField(label=_("Vĩ độ / Latitude"))
    lon = forms.FloatField(label=_("Kinh độ / Longitude"))
    direction = forms.IntegerField(label=_("Hướng (độ) / Direction (degrees)"), required=False)
    stream_url = forms.CharField(label=_("Luồng hình (RTSP/HLS) / Stream URL"), required=False, max_length=500)
    snapshot_url = forms.CharField(label=_("Ảnh chụp (http/https) / Snapshot URL"), required=False, max_length=500)
    sensitivity = forms.ChoiceField(
        label=_("Mức công khai / Sensitivity"), choices=Sensitivity.choices, initial="internal"
    )
    heartbeat_seconds = forms.IntegerField(label=_("Chu kỳ tín hiệu (giây) / Heartbeat (s)"), initial=300)

    def __init__(self, *args: Any, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].widget.choices = agencies
        tabler_style(self)
