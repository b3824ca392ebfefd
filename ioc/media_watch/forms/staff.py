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
