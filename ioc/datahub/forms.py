"""Forms of the data hub's pages (R1.2c): they parse; the ingest service decides and writes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency, InformationSystem
from ioc.agencies.selectors import agency_list
from ioc.common.forms import tabler_style
from ioc.common.periods import period_parse
from ioc.datahub.choices import (
    CONNECTOR_INTERVAL_MINUTES,
    CONNECTOR_TIMEOUT_SECONDS,
    ConnectorFormat,
    ConnectorMethod,
    Frequency,
    ObligationFrequency,
    Sensitivity,
    SharingMode,
)
from ioc.datahub.services import ConnectorSettings, max_upload_bytes

ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")
SCHEMA_EXAMPLE = """{
  "fields": [
    {"name": "ma_co_so", "title": "Mã cơ sở", "type": "string", "constraints": {"required": true}},
    {"name": "ten_co_so", "title": "Tên cơ sở", "type": "string"},
    {"name": "xa_phuong", "title": "Xã, phường", "type": "string", "ioc:role": "unit"},
    {"name": "so_luong", "title": "Số lượng", "type": "integer", "constraints": {"minimum": 0}}
  ],
  "primaryKey": ["ma_co_so"]
}"""


class DatasetForm(forms.Form):
    """R1.1: a dataset's description and structure (a Frictionless Table Schema as JSON); the service checks it."""

    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    description = forms.CharField(
        label=_("Mô tả / Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(label=_("Cơ quan chủ quản / Owner"), queryset=agency_list())
    system = forms.ModelChoiceField(
        label=_("Hệ thống cung cấp / Feeding system"),
        queryset=InformationSystem.objects.select_related("agency").order_by("name"),
        required=False,
    )
    frequency = forms.ChoiceField(label=_("Tần suất cập nhật / Frequency"), choices=Frequency.choices)
    sharing_mode = forms.ChoiceField(label=_("Hình thức chia sẻ / Sharing"), choices=SharingMode.choices)
    sensitivity = forms.ChoiceField(
        label=_("Mức độ nhạy cảm / Sensitivity"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    accept_valid_rows = forms.BooleanField(
        label=_("Nhận các dòng hợp lệ của một lần nộp có lỗi / Accept the valid rows of a submission with errors"),
        required=False,
    )
    schema = forms.CharField(
        label=_("Cấu trúc (Table Schema, JSON) / Structure"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "form-control font-monospace"}),
        initial=SCHEMA_EXAMPLE,
        help_text=_(
            "Các trường: name, title, type (string, integer, number, boolean, date, datetime, year, geopoint), "
            "constraints (required, minimum, maximum, minLength, maxLength, pattern, enum), ioc:role (unit, period, "
            "value, lat, lon, geopoint), ioc:filterable; primaryKey; ioc:layer cho lớp bản đồ; ioc:rules: quy tắc "
            'liên trường, ví dụ {"field": "ket_thuc", ">=": "bat_dau", "message": "…"} hoặc '
            '{"if": {"field": "loai", "equals": "x"}, "require": ["y"], "message": "…"}.'
        ),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        tabler_style(self)

    def clean_schema(self) -> Any:
        text = self.cleaned_data["schema"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("JSON không hợp lệ ở dòng %(line)d, cột %(col)d: %(msg)s / Invalid JSON"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg},
            ) from None
        except (ValueError, RecursionError):  # nesting deeper than the parser's stack
            raise ValidationError(_("JSON lồng nhau quá sâu / JSON nested too deeply")) from None


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


# --- the web form channel (R1.2c): one row form generated from the Table Schema ----------------------------
ENTRY_ROWS_DEFAULT = 5
ENTRY_ROWS_MAX = 50
_BOOLEAN_CHOICES = [("", "—"), ("true", _("Có")), ("false", _("Không"))]


class SchemaRowForm(forms.Form):
    """One row of a dataset, its fields generated from the schema (`row_form_for`). The fields only parse the
    typed value; required, code lists, limits and keys are judged by `submission_ingest`, whose reasons land on
    the same fields."""

    def row(self) -> dict[str, Any]:
        """The typed row as JSON values (dates as ISO text; empty cells left out)."""
        values: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            values[name] = value.isoformat() if isinstance(value, dt.date) else value
        return values


def _attrs(spec: dict[str, Any]) -> dict[str, Any]:
    constraints = spec.get("constraints") or {}
    attrs: dict[str, Any] = {"aria-label": str(spec.get("title") or spec["name"])}
    if constraints.get("required"):
        attrs["required"] = True
    for key, attr in (("minimum", "min"), ("maximum", "max"), ("maxLength", "maxlength"), ("pattern", "pattern")):
        if constraints.get(key) is not None:
            attrs[attr] = constraints[key]
    return attrs


def schema_field(spec: dict[str, Any]) -> forms.Field:
    """R1.2c: the form field of one Table Schema field: a select for a code list or a boolean, a number, date or
    date-time input for those types, text otherwise."""
    kind, attrs = spec.get("type", "string"), _attrs(spec)
    label = str(spec.get("title") or spec["name"])
    enum = (spec.get("constraints") or {}).get("enum")
    options: dict[str, Any] = {"label": label, "required": False, "help_text": spec.get("description", "")}
    if enum:
        choices = [("", "—"), *((str(code), str(code)) for code in enum)]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **options)
    if kind == "boolean":
        return forms.ChoiceField(choices=_BOOLEAN_CHOICES, widget=forms.Select(attrs=attrs), **options)
    if kind in ("integer", "year"):
        return forms.IntegerField(widget=forms.NumberInput(attrs=attrs), **options)
    if kind == "number":
        return forms.FloatField(widget=forms.NumberInput(attrs={**attrs, "step": "any"}), **options)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={**attrs, "type": "date"}), **options)
    if kind == "datetime":
        widget = forms.DateTimeInput(attrs={**attrs, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        return forms.DateTimeField(widget=widget, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **options)
    return forms.CharField(widget=forms.TextInput(attrs=attrs), **options)


def row_form_for(schema: dict[str, Any]) -> type[SchemaRowForm]:
    """R1.2c: the row form class of a dataset's schema (fields in the schema's order)."""
    fields = {spec["name"]: schema_field(spec) for spec in schema.get("fields", [])}
    return type("DatasetRowForm", (SchemaRowForm,), fields)


def row_formset(schema: dict[str, Any], *, data: Any = None, rows: int = ENTRY_ROWS_DEFAULT) -> Any:
    """The rows of the web form: `rows` empty rows (at most ENTRY_ROWS_MAX); rows left empty are skipped."""
    formset = forms.formset_factory(
        row_form_for(schema), extra=rows, max_num=ENTRY_ROWS_MAX, validate_max=True, absolute_max=ENTRY_ROWS_MAX
    )
    built = formset(data, prefix="dong")
    for form in built:
        tabler_style(form)
    return built


class EntryForm(forms.Form):
    """R1.2c: what the web form sends besides its rows: the period it reports."""

    period = forms.CharField(
        label=_("Kỳ báo cáo"),
        required=False,
        max_length=10,
        help_text=_("Mã kỳ: 2025, 2025Q3, 202507, 2025W28; bỏ trống nếu các dòng có cột kỳ"),
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "202507"}),
    )

    def clean_period(self) -> str:
        code = (self.cleaned_data.get("period") or "").strip()
        if code:
            period_parse(code)
        return code


def typed_rows(formset: Any) -> tuple[list[dict[str, Any]], list[SchemaRowForm]]:
    """The rows typed (empty rows skipped) and the form each came from, in order."""
    rows: list[dict[str, Any]] = []
    sources: list[SchemaRowForm] = []
    for form in formset:
        row = form.row() if form.has_changed() else {}
        if row:
            rows.append(row)
            sources.append(form)
    return rows, sources


def conflicts_on_fields(
    form: forms.Form, sources: list[SchemaRowForm], conflicts: list[Any], schema: dict[str, Any]
) -> None:
    """R1.2c: each conflict of the ingest's report on the field of the row it names (a unit or point conflict on
    the field with that role, a duplicate key on the key's fields); the rest on top of the form."""
    roles = {spec.get("ioc:role"): spec["name"] for spec in schema.get("fields", [])}
    aliases = {"unit": [roles.get("unit")], "lat,lon": [roles.get("lat"), roles.get("lon"), roles.get("geopoint")]}
    for conflict in conflicts:
        index, name, reason = conflict["row"], str(conflict["field"]), str(conflict["reason"])
        target = sources[index - 1] if 1 <= index <= len(sources) else None
        names = [n for n in aliases.get(name, name.split(",")) if n and target is not None and n in target.fields]
        if target is None or not names:
            form.add_error(None, _("Dòng %(row)s: %(reason)s") % {"row": index, "reason": reason} if index else reason)
            continue
        for field_name in names:
            target.add_error(field_name, reason)
