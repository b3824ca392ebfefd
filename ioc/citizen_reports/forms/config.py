"""Forms of the configuration pages of citizen reports (R3.2, R3.3): they parse; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ioc.agencies import selectors as agency_selectors
from ioc.citizen_reports import selectors
from ioc.citizen_reports.services.config import MAX_HANDLING_HOURS
from ioc.common.forms import tabler_style
from ioc.geo import selectors as geo_selectors
from ioc.geo.choices import Level

_UNKNOWN_AGENCY = _("Cơ quan không tồn tại hoặc đã ngừng hoạt động / Unknown or inactive agency")
_UNKNOWN_CATEGORY = _("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng / Unknown or retired category")
_UNKNOWN_UNIT = _("Xã, phường không thuộc địa bàn / Not a commune or ward of the territory")


def _agency_field(label: Any, *, required: bool) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        label=label,
        queryset=agency_selectors.agency_list(),
        required=required,
        error_messages={"invalid_choice": _UNKNOWN_AGENCY},
    )


class CategoryForm(forms.Form):
    """R3.2: a category's fields; the code only when creating (Open311 clients keep it)."""

    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=160)
    name_en = forms.CharField(label=_("Tên tiếng Anh / English name"), max_length=160, required=False)
    group = forms.CharField(label=_("Nhóm / Group"), max_length=80, required=False)
    description = forms.CharField(label=_("Mô tả / Description"), required=False, widget=forms.Textarea({"rows": 3}))
    keywords = forms.CharField(label=_("Từ khóa / Keywords"), max_length=300, required=False)
    default_agency = _agency_field(_("Cơ quan xử lý mặc định / Default agency"), required=False)
    handling_hours = forms.FloatField(
        label=_("Thời hạn xử lý (giờ làm việc) / Handling time (working hours)"),
        min_value=0.5,
        max_value=MAX_HANDLING_HOURS,
        initial=40,
    )
    requires_leader_approval = forms.BooleanField(
        label=_("Cần lãnh đạo IOC duyệt trước khi chuyển / IOC leader approves before forwarding"), required=False
    )
    evidence_photo_required = forms.BooleanField(
        label=_("Kết quả phải có ảnh / The result needs a photo"), required=False, initial=True
    )
    duplicate_radius_m = forms.IntegerField(
        label=_("Bán kính tìm trùng (m) / Duplicate radius (m)"), min_value=0, max_value=10000, initial=200
    )
    duplicate_days = forms.IntegerField(
        label=_("Số ngày tìm trùng / Duplicate window (days)"), min_value=0, max_value=365, initial=14
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
        tabler_style(self)

    def changes(self) -> dict[str, Any]:
        """The cleaned fields keyed as `category_create`/`category_update` name them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "code"}


class RoutingRuleForm(forms.Form):
    """R3.3: which agency handles a category in a commune (none = the whole territory)."""

    category = forms.ModelChoiceField(
        label=_("Lĩnh vực / Category"),
        queryset=selectors.category_list(active_only=True),
        error_messages={"invalid_choice": _UNKNOWN_CATEGORY},
    )
    unit = forms.ModelChoiceField(
        label=_("Xã, phường (để trống = toàn địa bàn) / Commune (empty = the whole territory)"),
        queryset=geo_selectors.unit_list(level=Level.COMMUNE),
        required=False,
        error_messages={"invalid_choice": _UNKNOWN_UNIT},
    )
    agency = _agency_field(_("Cơ quan xử lý / Handling agency"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = geo_selectors.territory_commune_ids(profile=settings.IOC_PROFILE)
        if communes is not None:
            unit_field: Any = self.fields["unit"]
            unit_field.queryset = unit_field.queryset.filter(pk__in=communes)
        tabler_style(self)
