"""Forms of the citizens' pages (R3.1, R3.4): they parse and check input; the services decide and write.

Labels and errors are Vietnamese msgids, their English is in `locale/en` (the language switch). Photos go through
`ioc.common.images.image_clean` (re-encoded, metadata stripped); the service `report_receive` checks the rest
(territory, category, formats).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ioc.citizen_reports import selectors
from ioc.citizen_reports.choices import DESCRIPTION_MAX, PHOTO_MAX_COUNT
from ioc.citizen_reports.models import Category
from ioc.common.images import CleanImage, image_clean
from ioc.common.periods import Period, period_parse
from ioc.common.plaintext import no_markup
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit, Territory

_INPUT = {"class": "form-control form-control-lg"}
_SELECT = {"class": "form-select form-select-lg"}
_CHECK = {"class": "form-check-input"}
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"(?:\+?84|0)[0-9]{9,10}")
_CODE = re.compile(r"[A-Za-z0-9]{4,32}")
COMMENT_MAX = 2000
ADDRESS_MAX = 300
NAME_MAX = 120


def phone_normalise(value: str) -> str:
    """'090 000 0001' → '0900000001'; refuses what is not a Vietnamese phone number."""
    compact = _PHONE_SEPARATORS.sub("", value or "")
    if compact and not _PHONE.fullmatch(compact):
        raise ValidationError(
            _("Số điện thoại không hợp lệ (ví dụ 0912345678)"),
            code="invalid_phone",
        )
    return compact


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotoListField(forms.FileField):
    """Up to PHOTO_MAX_COUNT image files, each cleaned by `image_clean` (JPEG/PNG/WebP/HEIC → re-encoded)."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[CleanImage]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > PHOTO_MAX_COUNT:
            raise ValidationError(_("Tối đa %(max)d ảnh") % {"max": PHOTO_MAX_COUNT}, code="too_many_photos")
        cleaned: list[CleanImage] = []
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                cleaned.append(self._one(upload))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return cleaned

    @staticmethod
    def _one(upload: UploadedFile[bytes]) -> CleanImage:
        name = str(upload.name or "")[-80:]
        try:
            return image_clean(upload, filename=name)
        except ValidationError as exc:
            reason = "; ".join(str(message) for message in exc.messages)
            raise ValidationError(
                _("Ảnh “%(name)s”: %(reason)s"),
                code=getattr(exc, "code", None) or "invalid_image",
                params={"name": name, "reason": reason},
            ) from exc


def territory_current() -> Territory | None:
    """The deployment's territory (settings.IOC_PROFILE), or None before it is loaded."""
    return geo_selectors.territory_get(profile=settings.IOC_PROFILE)


def commune_choices(territory: Territory | None) -> QuerySet[AdminUnit]:
    """The 2025 communes of the deployment's territory (empty before the territory is loaded)."""
    if territory is None:
        return AdminUnit.objects.none()
    return territory.communes.defer("geometry").order_by("name_folded")


def category_choices(*, include_inactive: bool = False) -> QuerySet[Category]:
    """Categories a citizen may choose (active ones); the public filters also list retired ones."""
    return selectors.category_list(active_only=not include_inactive)


class ReportForm(forms.Form):
    """R3.1: the public phone form. Location: a point (browser geolocation or a pin), else a commune and/or address.

    Contact is optional; when any contact is given, consent to processing personal data is required
    (Decree 13/2023/NĐ-CP): without it we could not lawfully keep the contact. Sharing the contact with the
    handling agency is a separate, optional consent.
    """

    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Xã, phường"),
        empty_label=_("— Chọn xã, phường —"),
        widget=forms.Select(attrs=_SELECT),
    )
    address = forms.CharField(
        required=False,
        max_length=ADDRESS_MAX,
        validators=[no_markup],
        label=_("Địa chỉ, mô tả nơi xảy ra"),
        widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "street-address"}),
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        to_field_name="code",
        label=pgettext_lazy("phản ánh", "Lĩnh vực"),
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={
            "required": _("Vui lòng chọn lĩnh vực"),
            "invalid_choice": _("Lĩnh vực không tồn tại hoặc đã ngừng"),
        },
        widget=forms.Select(attrs=_SELECT),
    )
    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        validators=[no_markup],
        label=_("Nội dung phản ánh"),
        error_messages={
            "required": _("Vui lòng mô tả sự việc"),
            "max_length": _("Nội dung tối đa %(limit_value)d ký tự (hiện có %(show_value)d)"),
        },
        widget=forms.Textarea(attrs={**_INPUT, "rows": 5, "maxlength": DESCRIPTION_MAX}),
    )
    photos = PhotoListField(
        required=False,
        label=_("Ảnh (tối đa 5)"),
        widget=MultiplePhotoInput(attrs={"class": "form-control form-control-lg", "accept": "image/*"}),
    )
    name = forms.CharField(
        required=False,
        max_length=NAME_MAX,
        validators=[no_markup],
        label=_("Họ tên"),
        widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "name"}),
    )
    phone = forms.CharField(
        required=False,
        max_length=20,
        label=_("Điện thoại"),
        widget=forms.TextInput(attrs={**_INPUT, "autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        label=_("Thư điện tử"),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ")},
        widget=forms.EmailInput(attrs={**_INPUT, "autocomplete": "email", "inputmode": "email"}),
    )
    consent_processing = forms.BooleanField(
        required=False,
        label=_("Tôi đồng ý để IOC xử lý thông tin liên hệ của tôi để giải quyết phản ánh"),
        widget=forms.CheckboxInput(attrs=_CHECK),
    )
    consent_share_with_agency = forms.BooleanField(
        required=False,
        label=_("Tôi đồng ý chia sẻ thông tin liên hệ với cơ quan xử lý"),
        widget=forms.CheckboxInput(attrs=_CHECK),
    )
    anonymous_to_public = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Ẩn danh với công chúng"),
        widget=forms.CheckboxInput(attrs=_CHECK),
    )

    def __init__(self, *args: Any, territory: Territory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        category_field = self.fields["category"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        assert isinstance(category_field, forms.ModelChoiceField)
        unit_field.queryset = commune_choices(territory)
        unit_field.error_messages["invalid_choice"] = _("Xã, phường không thuộc địa bàn")
        category_field.queryset = category_choices()

    def clean_phone(self) -> str:
        return phone_normalise(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_location(data)
        self._check_consent(data)
        return data

    def _check_location(self, data: dict[str, Any]) -> None:
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lat", _("Thiếu vĩ độ hoặc kinh độ"))
            return
        if self.has_error("lat") or self.has_error("lon") or self.has_error("unit"):
            return
        if lat is None and not data.get("unit") and not (data.get("address") or "").strip():
            self.add_error(
                "lat",
                ValidationError(
                    _(
                        "Hãy cho biết vị trí: dùng vị trí hiện tại, chấm trên bản đồ, hoặc chọn xã, phường và "
                        "ghi địa chỉ"
                    ),
                    code="location_required",
                ),
            )

    def _check_consent(self, data: dict[str, Any]) -> None:
        has_contact = any((data.get(name) or "").strip() for name in ("name", "phone", "email"))
        if has_contact and not data.get("consent_processing"):
            self.add_error(
                "consent_processing",
                ValidationError(
                    _("Để lại thông tin liên hệ cần đồng ý cho xử lý dữ liệu cá nhân, hoặc xóa thông tin liên hệ"),
                    code="consent_required",
                ),
            )
        if data.get("consent_share_with_agency") and not has_contact:
            data["consent_share_with_agency"] = False

    def has_contact(self) -> bool:
        return any((self.cleaned_data.get(name) or "").strip() for name in ("name", "phone", "email"))


class TrackingLookupForm(forms.Form):
    """R3.4: the tracking code typed by the citizen (case and spaces ignored)."""

    code = forms.CharField(
        max_length=40,
        label=_("Mã phản ánh"),
        error_messages={"required": _("Vui lòng nhập mã phản ánh")},
        widget=forms.TextInput(
            attrs={**_INPUT, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s\-]", "", self.cleaned_data.get("code", "")).upper()
        if not _CODE.fullmatch(code):
            raise ValidationError(_("Mã phản ánh gồm chữ và số"), code="invalid_code")
        return code


class RatingForm(forms.Form):
    """R3.4: the reporter rates the published result 1–5, with an optional comment."""

    t = forms.CharField(max_length=200, widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        label=_("Mức hài lòng (1–5)"),
        error_messages={
            "required": _("Vui lòng chọn từ 1 đến 5 sao"),
            "invalid_choice": _("Đánh giá từ 1 đến 5"),
        },
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX,
        validators=[no_markup],
        label=_("Ý kiến"),
        widget=forms.Textarea(attrs={**_INPUT, "rows": 3, "maxlength": COMMENT_MAX}),
    )


class ReopenForm(forms.Form):
    """R3.4: the reporter reopens a published report, saying why."""

    t = forms.CharField(max_length=200, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=COMMENT_MAX,
        validators=[no_markup],
        label=_("Lý do mở lại"),
        error_messages={"required": _("Vui lòng nêu lý do mở lại")},
        widget=forms.Textarea(attrs={**_INPUT, "rows": 3, "maxlength": COMMENT_MAX}),
    )


def period_options(*, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Recent periods for the filter: this and last year, this year's quarters, the last 12 months."""
    today = today or timezone.localdate()
    years = [(str(y), str(y)) for y in (today.year, today.year - 1)]
    quarters = [
        (f"{today.year}Q{q}", _("Quý %(q)d/%(year)d") % {"q": q, "year": today.year})
        for q in range((today.month - 1) // 3 + 1, 0, -1)
    ]
    months: list[tuple[str, str]] = []
    y, m = today.year, today.month
    for _i in range(12):
        months.append((f"{y}{m:02d}", f"{m:02d}/{y}"))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return years + quarters + months


class PublicFilterForm(forms.Form):
    """R3.4: filters of the public list and map: category, commune, period (DHIS2 id). Bad values are named."""

    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        to_field_name="code",
        required=False,
        label=pgettext_lazy("phản ánh", "Lĩnh vực"),
        empty_label=_("Tất cả lĩnh vực"),
        error_messages={"invalid_choice": _("Lĩnh vực không tồn tại")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Xã, phường"),
        empty_label=_("Tất cả xã, phường"),
        error_messages={"invalid_choice": _("Xã, phường không thuộc địa bàn")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    period = forms.CharField(
        required=False,
        max_length=10,
        label=_("Thời gian"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, territory: Territory | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        unit_field = self.fields["unit"]
        assert isinstance(category_field, forms.ModelChoiceField)
        assert isinstance(unit_field, forms.ModelChoiceField)
        category_field.queryset = category_choices(include_inactive=True)
        unit_field.queryset = commune_choices(territory)
        choices = [("", _("Mọi thời gian")), *period_options()]
        period_widget = self.fields["period"].widget
        assert isinstance(period_widget, forms.Select)
        period_widget.choices = choices

    def clean_period(self) -> Period | None:
        code = (self.cleaned_data.get("period") or "").strip()
        return period_parse(code) if code else None
