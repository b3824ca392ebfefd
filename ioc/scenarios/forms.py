"""Forms of the scenario and warning pages (R4.4, R4.6, R5.2): they only parse; the services check."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity
from ioc.common.forms import tabler_style
from ioc.scenarios.choices import CapCategory, Certainty, ResourceStatus, Urgency
from ioc.scenarios.services import WarningDraft


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class ScenarioForm(StyledForm):
    """R4.6: a scenario's fields; its definition as JSON (the format is shown beside it)."""

    code = forms.SlugField(label=_("Mã / Code"), max_length=60, required=False)
    name = forms.CharField(label=_("Tên kịch bản / Name"), max_length=200)
    group = forms.CharField(label=_("Nhóm / Group"), max_length=60, required=False)
    description = forms.CharField(label=_("Mô tả / Description"), required=False, widget=forms.Textarea({"rows": 2}))
    definition = forms.CharField(
        label=_("Nội dung kịch bản (JSON) / Definition (JSON)"),
        widget=forms.Textarea({"rows": 18, "spellcheck": "false"}),
    )
    is_active = forms.BooleanField(label=_("Đang dùng / In use"), required=False, initial=True)

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except (ValueError, RecursionError) as error:  # RecursionError: deep nesting
            raise ValidationError(
                _("Không phải JSON hợp lệ / Not valid JSON: %(e)s") % {"e": str(error)[:120]}
            ) from error


class ActivateForm(StyledForm):
    reason = forms.CharField(label=_("Lý do kích hoạt / Reason"), max_length=300)


class ResourceForm(StyledForm):
    unit_name = forms.CharField(label=_("Đơn vị / Unit"), max_length=200)
    kind = forms.CharField(label=_("Loại lực lượng, phương tiện / Kind"), max_length=120)
    count = forms.IntegerField(label=_("Số lượng / Count"), min_value=1, max_value=100000, initial=1)
    status = forms.ChoiceField(label=_("Trạng thái / Status"), choices=ResourceStatus.choices)
    lat = forms.FloatField(label=_("Vĩ độ / Latitude"), required=False)
    lon = forms.FloatField(label=_("Kinh độ / Longitude"), required=False)


class ResourceStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("Trạng thái / Status"), choices=ResourceStatus.choices)


class DecisionForm(StyledForm):
    text = forms.CharField(label=_("Nội dung / Text"), max_length=4000, widget=forms.Textarea({"rows": 2}))
    is_decision = forms.BooleanField(label=_("Là quyết định chỉ đạo / A decision"), required=False)


class ChecklistForm(StyledForm):
    done = forms.BooleanField(required=False)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Lý do / Reason"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class WarningForm(StyledForm):
    """R5.2: a public warning: area as a GeoJSON polygon or commune codes, validity, instructions (vi, en)."""

    event = forms.CharField(label=_("Sự kiện / Event"), max_length=200)
    category = forms.ChoiceField(label=_("Lĩnh vực / Category"), choices=CapCategory.choices)
    severity = forms.TypedChoiceField(label=_("Mức độ / Severity"), choices=Severity.choices, coerce=int)
    urgency = forms.ChoiceField(label=_("Mức khẩn / Urgency"), choices=Urgency.choices)
    certainty = forms.ChoiceField(label=_("Mức chắc chắn / Certainty"), choices=Certainty.choices)
    headline_vi = forms.CharField(label=_("Tiêu đề / Headline"), max_length=200)
    description_vi = forms.CharField(label=_("Nội dung / Description"), widget=forms.Textarea({"rows": 3}))
    instruction_vi = forms.CharField(label=_("Hướng dẫn người dân / Instructions"), widget=forms.Textarea({"rows": 3}))
    headline_en = forms.CharField(label=_("Tiêu đề tiếng Anh / Headline (English)"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Nội dung tiếng Anh / Description (English)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    instruction_en = forms.CharField(
        label=_("Hướng dẫn tiếng Anh / Instructions (English)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    area_desc = forms.CharField(label=_("Mô tả khu vực / Area"), max_length=300)
    area_geojson = forms.CharField(
        label=_("Vùng (GeoJSON Polygon) / Area (GeoJSON Polygon)"), required=False, widget=forms.Textarea({"rows": 3})
    )
    unit_codes = forms.CharField(
        label=_("Mã xã, phường (cách nhau bởi dấu phẩy) / Commune codes (comma separated)"), required=False
    )
    onset = forms.DateTimeField(label=_("Hiệu lực từ / Onset"), widget=forms.DateTimeInput({"type": "datetime-local"}))
    expires = forms.DateTimeField(
        label=_("Hiệu lực đến / Expires"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )

    def clean_area_geojson(self) -> Any:
        text = self.cleaned_data["area_geojson"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as error:  # RecursionError: deep nesting
            raise ValidationError(_("Không phải JSON hợp lệ / Not valid JSON")) from error

    def draft(self) -> WarningDraft:
        data = self.cleaned_data
        codes = [c.strip() for c in data["unit_codes"].split(",") if c.strip()]
        fields = {name: data[name] for name in WarningDraft.__dataclass_fields__ if name not in ("unit_codes",)}
        return WarningDraft(**fields, unit_codes=codes)
