"""R5.7: the live feed's filters and the topic page's trend step; they only parse (the selectors apply them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style


class FeedFilter(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), max_length=200, required=False)
    topic = forms.TypedChoiceField(label=_("Chủ đề"), coerce=int, required=False, empty_value=None)
    negative = forms.BooleanField(label=_("Chỉ tin tiêu cực"), required=False)

    def __init__(self, *args: Any, topics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Tất cả chủ đề")), *topics]  # type: ignore[attr-defined]
        tabler_style(self)


class TrendFilter(forms.Form):
    """R5.7: the topic page's trend, hour by hour (7 days) or day by day (90 days)."""

    step = forms.ChoiceField(
        label=_("Chuỗi thời gian"),
        choices=[("hour", _("Theo giờ (7 ngày)")), ("day", _("Theo ngày (90 ngày)"))],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class ToReportForm(forms.Form):
    """R3.1, R5.7: a complaint found online becomes a citizen report of this category."""

    category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Lĩnh vực phản ánh"), queryset=None)

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        tabler_style(self)


class ForwardForm(forms.Form):
    """R5.7 (002:6.5): an item sent to an agency for an answer within working hours."""

    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Cơ quan trả lời"), queryset=None)
    working_hours = forms.FloatField(label=_("Thời hạn (giờ làm việc)"), min_value=0.5, max_value=720, initial=8)
    instructions = forms.CharField(
        label=_("Yêu cầu"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        tabler_style(self)
