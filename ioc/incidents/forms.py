"""Operators' and agencies' forms of incidents (R4.1–R4.5): they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency
from ioc.common.choices import Severity
from ioc.common.forms import tabler_style
from ioc.common.plaintext import no_markup
from ioc.geo import selectors as geo_selectors
from ioc.geo.choices import Level
from ioc.geo.models import AdminUnit
from ioc.incidents import selectors
from ioc.incidents.choices import KIND_CHOICES, RESPONSE_MINUTES_MAX, TEXT_MAX, TITLE_MAX, IncidentState, Process
from ioc.incidents.models import Incident


def commune_queryset() -> QuerySet[AdminUnit]:
    """The territory's 2025 communes; before a territory is configured, every 2025 commune."""
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is not None:
        return territory.communes.defer("geometry").order_by("name_folded")
    return geo_selectors.unit_list(level=Level.COMMUNE).order_by("name_folded")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


def _text(label: Any, *, required: bool = False, rows: int = 3, max_length: int = TEXT_MAX) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea({"rows": rows}),
        validators=[no_markup],
    )


def _severity(required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=_("Mức độ / Severity"), choices=Severity.choices, coerce=int, required=required)


class AlertNewForm(StyledForm):
    """R4.1: a hotline or phone call the operator takes as an alert (source `people`)."""

    kind = forms.ChoiceField(label=_("Loại / Kind"), choices=KIND_CHOICES)
    severity = _severity()
    title = forms.CharField(label=_("Tiêu đề / Title"), max_length=TITLE_MAX, validators=[no_markup])
    description = _text(_("Người gọi báo gì / What the caller says"), rows=4)
    unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Xã, phường / Commune"),
        empty_label=_("— Chọn xã, phường / Choose a commune —"),
    )
    lat = forms.FloatField(label=_("Vĩ độ / Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Kinh độ / Longitude"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = commune_queryset()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lon", _("Cần cả vĩ độ và kinh độ / Give both latitude and longitude"))
        return data

    def point(self) -> tuple[float, float] | None:
        lat, lon = self.cleaned_data.get("lat"), self.cleaned_data.get("lon")
        return (lat, lon) if lat is not None and lon is not None else None


class VerifyForm(StyledForm):
    """R4.2: authentic; how severe; its title as the incident's."""

    severity = _severity(required=False)
    title = forms.CharField(label=_("Tiêu đề sự cố / Incident title"), required=False, max_length=TITLE_MAX)
    description = _text(_("Kết quả xác minh / Verification notes"))


class MergeForm(StyledForm):
    incident = forms.ModelChoiceField(queryset=Incident.objects.none(), label=_("Gộp vào sự cố / Merge into"))
    note = _text(_("Ghi chú / Note"), rows=2)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["incident"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.incident_open_choices(user=user)


class ReasonForm(StyledForm):
    reason = _text(_("Lý do / Reason"), required=True, rows=2)


class NoteForm(StyledForm):
    """R4.5: a step's note (approve, confirm, en route, on scene, clear)."""

    note = _text(_("Ghi chú / Note"), rows=2)


class ResultForm(StyledForm):
    result = _text(_("Kết quả đã xác nhận / Confirmed result"), required=True)


class TimelineNoteForm(StyledForm):
    """R4.5: a note and a photo on the timeline."""

    text = _text(_("Nội dung / Text"))
    photo = forms.FileField(label=_("Ảnh / Photo"), required=False)


class ForwardForm(StyledForm):
    """R4.3: one or more agencies, each with its own deadline in its working time."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label=_("Cơ quan xử lý / Agencies"), widget=forms.SelectMultiple({"size": 6})
    )
    working_hours = forms.FloatField(
        label=_("Thời hạn (giờ làm việc) / Deadline (working hours)"),
        required=False,
        help_text=_("Để trống: theo loại sự cố / Empty: the kind's default"),
    )
    accept_within = forms.FloatField(
        label=_("Thời hạn tiếp nhận (giờ làm việc) / Accept within (working hours)"),
        required=False,
        help_text=_(
            "Để trống: theo loại sự cố; không quá thời hạn xử lý / Empty: the kind's default; "
            "no longer than the deadline"
        ),
    )
    instructions = _text(_("Nội dung chỉ đạo / Instructions"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.agencies_to_forward()


class DispatchForm(StyledForm):
    """R4.4: 24/7 forces, on scene within so many minutes (round the clock)."""

    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), label=_("Lực lượng / Forces"), widget=forms.SelectMultiple({"size": 6})
    )
    minutes = forms.IntegerField(
        label=_("Có mặt trong (phút) / On scene within (minutes)"),
        required=False,
        min_value=1,
        max_value=RESPONSE_MINUTES_MAX,
        help_text=_("Để trống: theo loại sự cố / Empty: the kind's default"),
    )
    instructions = _text(_("Nội dung chỉ đạo / Instructions"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.forces_to_dispatch()


class IncidentFilterForm(StyledForm):
    state = forms.ChoiceField(
        label=_("Trạng thái / State"),
        required=False,
        choices=[("open", _("Đang xử lý / Open")), ("", _("Tất cả / All")), *IncidentState.choices],
    )
    process = forms.ChoiceField(
        label=_("Quy trình / Process"), required=False, choices=[("", _("Tất cả / All")), *Process.choices]
    )
    kind = forms.ChoiceField(label=_("Loại / Kind"), required=False, choices=[("", _("Tất cả / All")), *KIND_CHOICES])

    def params(self) -> dict[str, str | None]:
        data = self.cleaned_data if self.is_valid() else {"state": "open"}
        return {name: data.get(name) or None for name in ("state", "process", "kind")}
