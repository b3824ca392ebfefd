"""Forms of the sharing pages (R1.6): they parse; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.geo.models import AdminUnit

COMMUNE_LIMIT = 2000


def _communes() -> Any:
    return AdminUnit.objects.filter(hierarchy="2025", level="commune").only("pk", "code", "name").order_by("name")


class _CommuneChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class RequestForm(forms.Form):
    """R1.6: which fields, which communes (none: all), why, on what legal basis, until when."""

    columns = forms.MultipleChoiceField(
        label=_("Các trường đề nghị chia sẻ"), widget=forms.CheckboxSelectMultiple, required=False
    )
    communes = _CommuneChoice(
        queryset=AdminUnit.objects.none(),
        label=_("Xã, phường (bỏ trống: toàn bộ)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    purpose = forms.CharField(label=_("Mục đích sử dụng"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Bắt buộc với dữ liệu chia sẻ theo yêu cầu riêng (Nghị định 47/2020/NĐ-CP)."),
    )
    wanted_until = forms.DateField(
        label=_("Đề nghị sử dụng đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, dataset_fields: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["columns"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(f["name"], f"{f.get('title') or f['name']} ({f['name']})") for f in dataset_fields]
        communes = self.fields["communes"]
        assert isinstance(communes, forms.ModelMultipleChoiceField)
        communes.queryset = _communes()
        tabler_style(self)
        field.widget.attrs["class"] = "form-check-input"


class ApproveForm(forms.Form):
    """R1.6: the owner's grant: fields (the requested ones or fewer), communes, expiry."""

    columns = forms.MultipleChoiceField(label=_("Các trường được chia sẻ"), widget=forms.CheckboxSelectMultiple)
    communes = _CommuneChoice(
        queryset=AdminUnit.objects.none(),
        label=_("Xã, phường (bỏ trống: như đề nghị)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    expires_on = forms.DateField(label=_("Hết hạn ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, requested: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["columns"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(name, name) for name in requested]
        communes = self.fields["communes"]
        assert isinstance(communes, forms.ModelMultipleChoiceField)
        communes.queryset = _communes()
        tabler_style(self)
        field.widget.attrs["class"] = "form-check-input"

    def expires_at(self) -> dt.datetime:
        """The end of the chosen day, local time."""
        day: dt.date = self.cleaned_data["expires_on"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class RefuseForm(forms.Form):
    """R1.6: a refusal in writing: reasons and legal basis."""

    reasons = forms.CharField(label=_("Lý do từ chối"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class TermsForm(forms.Form):
    """R1.6: the sharing terms (the service checks the bounds and names the field)."""

    setup_working_days = forms.IntegerField(label=_("Thời hạn thiết lập chia sẻ mặc định (ngày làm việc)"))
    response_working_days = forms.IntegerField(label=_("Thời hạn trả lời yêu cầu chia sẻ riêng (ngày làm việc)"))
    max_grant_days = forms.IntegerField(label=_("Thời hạn tối đa của quyền truy cập (ngày)"))
    remind_before_hours = forms.IntegerField(label=_("Nhắc cơ quan chủ quản trước hạn (giờ)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)
