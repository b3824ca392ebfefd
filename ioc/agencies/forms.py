"""Forms of the agency configuration pages (R1.1, R7.1): they parse; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.agencies import selectors
from ioc.agencies.choices import ActRole, AgencyKind, Sensitivity
from ioc.agencies.models import Agency
from ioc.common.forms import tabler_style
from ioc.geo import selectors as geo_selectors

_ROLE_CHOICES = [("", "—"), *ActRole.choices]


class AgencyForm(forms.Form):
    """R1.1: an agency's fields; the code only when creating. A new agency may come with its first act role."""

    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    short_name = forms.CharField(label=_("Tên viết tắt / Short name"), max_length=60, required=False)
    name_en = forms.CharField(label=_("Tên tiếng Anh / English name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Loại / Kind"), choices=AgencyKind.choices, initial=AgencyKind.OTHER)
    parent = forms.ModelChoiceField(
        label=_("Cơ quan cấp trên / Parent agency"),
        queryset=Agency.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Cơ quan không tồn tại hoặc đã ngừng hoạt động / Unknown agency")},
    )
    unit = forms.CharField(
        label=_("Mã đơn vị hành chính phụ trách (2025) / Administrative unit code (2025)"), max_length=8, required=False
    )
    email = forms.EmailField(label=_("Thư điện tử / E-mail"), required=False)
    works_24x7 = forms.BooleanField(label=_("Làm việc 24/7 / Works around the clock"), required=False)
    # R5.5: how widely the agency's data (sensor Things) is shown when a record names no sensitivity.
    default_sensitivity = forms.ChoiceField(
        label=_("Mức công khai mặc định của dữ liệu / Default sensitivity of its data"),
        choices=[("", _("Theo loại cơ quan (công an: nội bộ) / By kind (police: internal)")), *Sensitivity.choices],
        required=False,
    )
    role = forms.ChoiceField(label=_("Vai trò theo quy chế / Role in the act"), choices=_ROLE_CHOICES, required=False)
    source = forms.CharField(
        label=_("Điều khoản căn cứ / Article cited"),
        max_length=40,
        required=False,
        help_text=_("Ví dụ 002:8.1; hoặc demo / For example 002:8.1, or demo"),
    )

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents: Any = self.fields["parent"]
        parents.queryset = selectors.agency_list()
        if agency is not None:
            parents.queryset = parents.queryset.exclude(pk=agency.pk)
            for name in ("code", "role", "source"):
                del self.fields[name]
            sensitivity: Any = self.fields["default_sensitivity"]
            sensitivity.choices = Sensitivity.choices  # stored blank means public: shown as such (views._initial)
        tabler_style(self)

    def clean_unit(self) -> Any:
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        try:
            return geo_selectors.unit_get(ref=code)
        except (geo_selectors.UnitRefError, geo_selectors.UnitNotFoundError):
            raise forms.ValidationError(
                _("Không có đơn vị hành chính (2025) mã này / Unknown 2025 unit code")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") and not data.get("source"):
            self.add_error("source", _("Vai trò phải kèm điều khoản căn cứ / The role needs the article it cites"))
        return data

    def fields_of_agency(self) -> dict[str, Any]:
        """The cleaned fields keyed as `agency_create`/`agency_update` name them."""
        fields = {k: v for k, v in self.cleaned_data.items() if k not in {"code", "role", "source"}}
        if fields.get("default_sensitivity") == "":
            del fields["default_sensitivity"]  # new: the default of its kind (`agency_create`); edited: unchanged
        return fields


class ActRoleForm(forms.Form):
    """R7.1: a role the act gives the agency, with the article it cites."""

    role = forms.ChoiceField(label=_("Vai trò theo quy chế / Role in the act"), choices=ActRole.choices)
    source = forms.CharField(
        label=_("Điều khoản căn cứ / Article cited"),
        max_length=40,
        help_text=_("Ví dụ 002:8.1; hoặc demo / For example 002:8.1, or demo"),
        error_messages={"required": _("Vai trò phải kèm điều khoản căn cứ / The role needs the article it cites")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)
