"""Forms of the agency-work pages (R3.3): Vietnamese errors, no HTML, photos cleaned by `image_clean`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ioc.assignments.choices import TEXT_MAX
from ioc.assignments.validation import clean_uploads, text_problem
from ioc.common.images import CleanImage


def _text_field(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control", "maxlength": TEXT_MAX}),
        error_messages={
            "required": gettext_lazy("Bắt buộc nhập nội dung / This field is required"),
            "max_length": gettext_lazy("Tối đa %(limit_value)d ký tự / At most %(limit_value)d characters"),
        },
    )


def _check_text(value: str, *, required: bool = True) -> str:
    problem = text_problem(value, required=required)
    if problem is not None:
        raise ValidationError(problem)
    return value


class ReturnForm(forms.Form):
    reason = _text_field(gettext_lazy("Lý do trả lại"))

    def clean_reason(self) -> str:
        return _check_text(self.cleaned_data["reason"])


class ProgressForm(forms.Form):
    text = _text_field(gettext_lazy("Nội dung cập nhật"))
    is_public = forms.BooleanField(
        label=gettext_lazy("Công khai cho người dân"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_text(self) -> str:
        return _check_text(self.cleaned_data["text"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ResolveForm(forms.Form):
    resolution = _text_field(gettext_lazy("Kết quả xử lý"), rows=4)
    evidence = MultipleFileField(
        label=gettext_lazy("Ảnh minh chứng (JPEG, PNG, WebP, HEIC)"),
        required=False,
        error_messages={"invalid": gettext_lazy("Tệp không hợp lệ / Invalid file")},
    )

    def clean_resolution(self) -> str:
        return _check_text(self.cleaned_data["resolution"])

    def clean_evidence(self) -> list[CleanImage]:
        return clean_uploads(self.cleaned_data.get("evidence") or [])
