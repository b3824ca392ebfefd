"""Forms of the indicator pages (R2.3, R2.6): they only parse; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.indicators.choices import CallKind
from ioc.indicators.models import Indicator


def indicator_label(indicator: Indicator) -> str:
    """An indicator in a choice list: its code and its name in the active language."""
    return f"{indicator.code} — {indicator.label}"


class ValueForm(forms.Form):
    """One value of an indicator the user reports (the import service checks it like any row)."""

    indicator = forms.ChoiceField(label=_("Chỉ số"))
    period = forms.CharField(label=_("Kỳ"), max_length=10, help_text=_("Ví dụ 202507, 2025Q3, 2025"))
    unit = forms.ChoiceField(label=_("Đơn vị"))
    value = forms.CharField(label=_("Giá trị"), max_length=40)

    def __init__(self, *args: object, indicators: list[Indicator], units: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = [(i.code, f"{i.code} — {i.label}") for i in indicators]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [("territory", _("Toàn địa bàn")), *units]  # type: ignore[attr-defined]
        tabler_style(self)


class CallForm(forms.Form):
    """R2.6: ask an agency for an indicator's values of a period."""

    indicator = forms.ModelChoiceField(label=_("Chỉ số"), queryset=Indicator.objects.none(), to_field_name="code")
    period = forms.CharField(label=_("Kỳ"), max_length=10)
    kind = forms.ChoiceField(label=_("Loại yêu cầu"), choices=CallKind.choices)
    working_days = forms.IntegerField(
        label=_("Hạn báo cáo (ngày làm việc)"), required=False, min_value=1, max_value=60,
        help_text=_("tính theo lịch làm việc của cơ quan; hoặc nhập ngày giờ cụ thể bên dưới"),
    )  # fmt: skip
    deadline_at = forms.DateTimeField(
        label=_("Hạn báo cáo (ngày giờ)"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].queryset = Indicator.objects.filter(  # type: ignore[attr-defined]
            is_active=True, agency__isnull=False
        )
        self.fields["indicator"].label_from_instance = indicator_label  # type: ignore[attr-defined]
        tabler_style(self)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("working_days") is None and data.get("deadline_at") is None and not self.errors:
            self.add_error("working_days", _("Cần số ngày làm việc hoặc ngày giờ hạn / Give a deadline"))
        if data.get("working_days") is not None and data.get("deadline_at") is not None:
            self.add_error("deadline_at", _("Chỉ chọn một cách tính hạn / Give one kind of deadline, not both"))
        return data
