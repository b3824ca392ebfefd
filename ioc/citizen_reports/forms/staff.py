"""Operators' forms for citizen reports (R3.1, R3.3, R3.5): queue filters, the actions on a report, the hotline
and social-media forms, e-mail intake, statistics filters. Pages and the API share them, so both refuse bad
input alike and name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.accounts import selectors as account_selectors
from ioc.agencies.models import Agency
from ioc.citizen_reports.choices import DESCRIPTION_MAX, Channel
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.services import ContactInput
from ioc.citizen_reports.statistics import GROUP_BY_CHOICES
from ioc.common.choices import Severity
from ioc.common.forms import PlainSelect
from ioc.geo import selectors as geo_selectors
from ioc.geo.choices import Level
from ioc.geo.models import AdminUnit
from ioc.incidents.choices import IMMEDIATE_KINDS, KIND_CHOICES

_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_RANGE_DAYS = 3700  # about ten years
MAX_DAY_BUCKETS = 400  # by day: at most a year and a bit
MIN_DAY, MAX_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

GROUP_BY_LABELS = {
    "agency": _("Cơ quan xử lý / Agency"),
    "category": _("Lĩnh vực / Category"),
    "commune": _("Xã, phường / Commune"),
    "channel": _("Kênh tiếp nhận / Channel"),
    "month": _("Tháng / Month"),
    "week": _("Tuần / Week"),
    "day": _("Ngày / Day"),
}


class StaffForm(forms.Form):
    """Tabler classes on every widget; errors as {field: [reason]} for the API's shared error body."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def error_fields(self) -> dict[str, list[str]]:
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}


def local_today() -> dt.date:
    return timezone.localdate()


class StatisticsFilterForm(StaffForm):
    """R3.5: a date range (days in Asia/Ho_Chi_Minh, both inclusive) and a grouping. Defaults: this year by month."""

    start = forms.DateField(
        label=_("Từ ngày / From"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=_("Đến ngày / To"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    group_by = forms.ChoiceField(
        label=_("Nhóm theo / Group by"), required=False, choices=[(k, GROUP_BY_LABELS[k]) for k in GROUP_BY_CHOICES]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not MIN_DAY <= day <= MAX_DAY:
                self.add_error(name, _("Ngày phải trong khoảng 2000–2099 / The date must be within 2000–2099"))
        if self.errors:
            return data
        end = data.get("end") or local_today()
        start = data.get("start") or end.replace(month=1, day=1)
        group_by = data.get("group_by") or "month"
        if end < start:
            self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi / The end must not be before the start"))
        elif (end - start).days > MAX_RANGE_DAYS:
            self.add_error("start", _("Khoảng thời gian tối đa 10 năm / The range is at most 10 years"))
        elif group_by == "day" and (end - start).days >= MAX_DAY_BUCKETS:
            self.add_error(
                "group_by", _("Theo ngày: tối đa 400 ngày; hãy chọn tuần hoặc tháng / By day: at most 400 days")
            )
        data.update(start=start, end=end, group_by=group_by)
        return data

    def params(self) -> dict[str, Any]:
        """The validated start, end and group_by."""
        return {name: self.cleaned_data[name] for name in ("start", "end", "group_by")}


# --- shared choices --------------------------------------------------------------------------------------------


def commune_queryset() -> QuerySet[AdminUnit]:
    """The territory's 2025 communes; before a territory is configured, every 2025 commune (as the services)."""
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is not None:
        return territory.communes.defer("geometry").order_by("name_folded")
    return geo_selectors.unit_list(level=Level.COMMUNE).order_by("name_folded")


def category_queryset() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).only("code", "name").order_by("name")


def _unit_field() -> forms.ModelChoiceField[AdminUnit]:
    return forms.ModelChoiceField(
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Xã, phường / Commune"),
        empty_label=_("— Chọn xã, phường / Choose a commune —"),
        widget=PlainSelect,  # the territory's communes: one template render per option otherwise
        error_messages={"invalid_choice": _("Xã, phường không thuộc địa bàn / Not a commune of the territory")},
    )


def _category_field() -> forms.ModelChoiceField[Category]:
    return forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label=_("Lĩnh vực / Category"),
        empty_label=_("— Chọn lĩnh vực / Choose a category —"),
        widget=PlainSelect,
        error_messages={"invalid_choice": _("Lĩnh vực không tồn tại hoặc đã ngừng / Unknown or inactive category")},
    )


class LocationFields(StaffForm):
    """A point (lat/lon, from the map pin) or a commune, and a free address."""

    lat = forms.FloatField(label=_("Vĩ độ / Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Kinh độ / Longitude"), required=False, min_value=-180, max_value=180)
    unit = _unit_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_field("unit").queryset = commune_queryset()
        if "category" in self.fields:
            self.model_field("category").queryset = category_queryset()

    def model_field(self, name: str) -> forms.ModelChoiceField[Any]:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None) and not (
            self.has_error("lat") or self.has_error("lon")
        ):
            self.add_error("lat", _("Cần cả vĩ độ và kinh độ / Give both latitude and longitude"))
        return data

    def location(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"lat": data.get("lat"), "lon": data.get("lon"), "unit": data.get("unit")}


class QueueFilterForm(StaffForm):
    """R3.3: the queue's tab and filters (category, channel, commune, text or tracking code)."""

    BUCKET_LABELS = {
        "all": _("Tất cả việc cần làm / All to handle"),
        "received": _("Mới tiếp nhận / Received"),
        "needs_location": _("Cần xác định vị trí / Needs location"),
        "awaiting_approval": _("Chờ lãnh đạo duyệt / Awaiting approval"),
        "to_forward": _("Chờ chuyển, bị trả lại / To forward, returned"),
        "resolved": _("Đã xử lý, chờ công khai / Resolved, to publish"),
    }

    bucket = forms.ChoiceField(label=_("Nhóm / Tab"), required=False, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Lĩnh vực / Category"),
        empty_label=_("— Tất cả / All —"),
    )
    channel = forms.ChoiceField(label=_("Kênh / Channel"), required=False)
    unit = _unit_field()
    q = forms.CharField(label=_("Mã tra cứu, nội dung / Code or text"), required=False, max_length=100)

    def __init__(self, *args: Any, buckets: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bucket = self.fields["bucket"]
        assert isinstance(bucket, forms.ChoiceField)
        bucket.choices = [("", "")] + [(name, self.BUCKET_LABELS[name]) for name in buckets]
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("— Tất cả / All —")), *Channel.choices]
        for name, queryset in (("category", Category.objects.order_by("name")), ("unit", commune_queryset())):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def filters(self) -> dict[str, Any]:
        """The selector's filters (report_list_for)."""
        data = self.cleaned_data
        found = {name: data.get(name) for name in ("category", "channel", "unit", "q")}
        return {name: value for name, value in found.items() if value}


# --- a report's actions ----------------------------------------------------------------------------------------


class NoteForm(StaffForm):
    """Verify / approve: an optional internal note."""

    note = forms.CharField(
        label=_("Ghi chú / Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class ReasonForm(StaffForm):
    """Reject: the reason is required (shown to the citizen)."""

    reason = forms.CharField(
        label=_("Lý do / Reason"),
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Cần nêu lý do / A reason is required")},
    )


class SpamForm(StaffForm):
    reason = forms.CharField(
        label=_("Lý do (nội bộ) / Reason (internal)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )


class DuplicateForm(StaffForm):
    """Mark as a duplicate of a suggested report or of one given by its tracking code."""

    original = forms.IntegerField(label=_("Phản ánh gốc / Original"), required=False, widget=forms.HiddenInput)
    tracking_code = forms.CharField(label=_("hoặc mã tra cứu / or tracking code"), required=False, max_length=16)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("original") and not (data.get("tracking_code") or "").strip():
            self.add_error("original", _("Chọn phản ánh gốc / Choose the original report"))
        return data


class LocateForm(LocationFields):
    """R3.1: the operator places an address-only report: a pin (lat/lon) or a commune."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and data.get("lat") is None and data.get("unit") is None:
            self.add_error("unit", _("Chọn xã, phường hoặc chấm vị trí / Choose a commune or drop a pin"))
        return data


class ForwardForm(StaffForm):
    """R3.3: the agency suggested by routing is preselected; the operator may choose another."""

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label=_("Cơ quan xử lý / Agency"),
        required=False,
        empty_label=_("— Theo quy tắc chuyển / By routing —"),
        widget=PlainSelect,
    )
    instructions = forms.CharField(
        label=_("Nội dung chỉ đạo / Instructions"), required=False, max_length=4000, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = account_selectors.agency_list()


class PublishForm(StaffForm):
    """R3.3, R3.4: the public result and the photos the public may see."""

    result = forms.CharField(
        label=_("Kết quả xử lý (công khai) / Result (public)"),
        max_length=4000,
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("Cần nhập kết quả xử lý / The result is required")},
    )
    public_photo_ids = forms.TypedMultipleChoiceField(
        label=_("Ảnh công khai / Public photos"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, photos: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["public_photo_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(photos)


class PhotoPublicForm(StaffForm):
    photo = forms.IntegerField(widget=forms.HiddenInput)
    is_public = forms.BooleanField(required=False, widget=forms.HiddenInput)


# --- new reports taken by an operator ---------------------------------------------------------------------------


class IntakeReportForm(LocationFields):
    """A report an operator files (hotline, social media): category, place, description, caller's contact."""

    category = _category_field()
    address = forms.CharField(label=_("Địa chỉ / Address"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Nội dung phản ánh / Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea({"rows": 5})
    )
    name = forms.CharField(label=_("Họ tên người phản ánh / Name"), required=False, max_length=120)
    phone = forms.CharField(label=_("Điện thoại / Phone"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử / E-mail"), required=False, max_length=254)
    consent_processing = forms.BooleanField(
        label=_("Người phản ánh đồng ý cho IOC xử lý thông tin liên hệ / The reporter consents to processing"),
        required=False,
    )
    consent_share_with_agency = forms.BooleanField(
        label=_("Người phản ánh đồng ý chia sẻ với cơ quan xử lý / The reporter consents to sharing with the agency"),
        required=False,
    )
    anonymous_to_public = forms.BooleanField(
        label=_("Ẩn danh với công chúng / Anonymous to the public"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        has_contact = any(str(data.get(name) or "").strip() for name in ("name", "phone", "email"))
        if has_contact and not data.get("consent_processing"):
            self.add_error(
                "consent_processing",
                _(
                    "Ghi thông tin liên hệ cần người phản ánh đồng ý cho xử lý / "
                    "Recording a contact needs the reporter's consent"
                ),
            )
        return data

    def contact(self) -> ContactInput | None:
        data = self.cleaned_data
        contact = ContactInput(
            name=data.get("name") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            consent_processing=bool(data.get("consent_processing")),
            consent_share_with_agency=bool(data.get("consent_share_with_agency")),
        )
        return None if contact.is_empty else contact

    def receive_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "address": data.get("address") or "",
            "contact": self.contact(),
            "anonymous_to_public": bool(data.get("anonymous_to_public")),
            **self.location(),
        }


class HotlineForm(IntakeReportForm):
    """R3.1: a call to the hotline. The operator first asks whether it is an emergency; an emergency takes the
    emergency branch (`EmergencyCallForm`: an alert for the IOC to dispatch 113/114/115), anything else is a report
    and needs this confirmation (the box sits in the question's card, outside the report form: `form=`)."""

    not_emergency = forms.BooleanField(
        widget=forms.CheckboxInput({"form": "report-form"}),
        label=_("Đã hỏi người gọi: không phải tình huống khẩn cấp / Asked the caller: this is not an emergency"),
        error_messages={
            "required": _(
                "Xác nhận không phải tình huống khẩn cấp; nếu khẩn cấp, hướng dẫn gọi 113, 114, 115 / "
                "Confirm it is not an emergency; emergencies go to 113, 114, 115"
            )
        },
    )
    field_order = ["not_emergency"]


EMERGENCY_PREFIX = "emergency"
EMERGENCY_KIND_CHOICES = [(code, label) for code, label in KIND_CHOICES if code in IMMEDIATE_KINDS]


class EmergencyCallForm(LocationFields):
    """R4.1 (issue 12): the hotline's emergency branch — what, where; it becomes an alert from people for the IOC
    to verify and dispatch forces (police 113, fire and rescue 114, ambulance 115)."""

    kind = forms.ChoiceField(label=_("Tình huống / Emergency"), choices=EMERGENCY_KIND_CHOICES)
    description = forms.CharField(
        label=_("Người gọi báo gì / What the caller says"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea({"rows": 3}),
    )
    address = forms.CharField(label=_("Địa chỉ / Address"), required=False, max_length=300)
    field_order = ["kind", "description", "unit", "address", "lat", "lon"]

    def emergency_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "description": data["description"],
            "address": data.get("address") or "",
            **self.location(),
        }


class EscalateForm(StaffForm):
    """R4.2 (issue 12): a verified report becomes an incident of a kind (severity: the kind's default)."""

    kind = forms.ChoiceField(label=_("Loại sự cố / Incident kind"), choices=KIND_CHOICES)
    severity = forms.TypedChoiceField(
        label=_("Mức độ / Severity"),
        choices=[("", _("— Theo loại sự cố / The kind's default —")), *Severity.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    note = forms.CharField(
        label=_("Ghi chú / Note"), required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea({"rows": 2})
    )


class SocialForm(IntakeReportForm):
    """R3.1: a report taken from a social-media post; the link to the post is kept."""

    social_url = forms.URLField(
        label=_("Liên kết bài đăng / Post link"),
        max_length=500,
        assume_scheme="https",
        error_messages={"required": _("Cần liên kết bài đăng / The post link is required")},
    )
    field_order = ["social_url"]

    def receive_kwargs(self) -> dict[str, Any]:
        return {**super().receive_kwargs(), "social_url": self.cleaned_data["social_url"]}


class IntakeConvertForm(LocationFields):
    """R3.1: an e-mail becomes a report: category, place, description (prefilled with subject and body)."""

    category = _category_field()
    address = forms.CharField(label=_("Địa chỉ / Address"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Nội dung phản ánh / Description"), max_length=DESCRIPTION_MAX, widget=forms.Textarea({"rows": 6})
    )

    def convert_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "description": data["description"],
            "address": data.get("address") or "",
            **self.location(),
        }


class IntakeDiscardForm(StaffForm):
    reason = forms.CharField(
        label=_("Lý do loại / Reason"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Cần nêu lý do loại thư / A reason is required")},
    )
