"""The operators' audit filters (R7.3), shared by the page and the API so both refuse bad input alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.audit.selectors import AuditFilters

_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AuditFilterForm(forms.Form):
    """R7.3: actor, action (prefix), object type and id, date range (Asia/Ho_Chi_Minh), request id."""

    actor = forms.CharField(label=_("Người thực hiện / Actor"), max_length=150, required=False)
    action = forms.CharField(label=_("Hành động / Action"), max_length=80, required=False)
    object_type = forms.CharField(label=_("Loại đối tượng / Object type"), max_length=80, required=False)
    object_id = forms.CharField(label=_("Mã đối tượng / Object id"), max_length=64, required=False)
    date_from = forms.DateField(
        label=_("Từ ngày / From"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày / To"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    request_id = forms.CharField(label=_("Mã yêu cầu / Request id"), max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi / The end date must not be before the start")
            )
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        text = {name: str(data.get(name) or "").strip() for name in ("actor", "action", "object_type", "object_id")}
        return AuditFilters(
            **text,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            request_id=str(data.get("request_id") or "").strip(),
        )

    def error_fields(self) -> dict[str, list[str]]:
        """The errors as {field: [reason]} for the API's shared error body."""
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}
