"""R5.4: the filters of a sector dashboard: a period (local days, both inclusive) and a commune of the territory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style

DEFAULT_DAYS = 90
MAX_RANGE_DAYS = 366 * 3
MIN_DAY = dt.date(2000, 1, 1)
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DashboardFilterForm(forms.Form):
    """Defaults: the last 90 days, the whole territory. A future day, an end before the start, a range over three
    years or a unit outside the territory is a form error naming the field."""

    start = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=_DATE_FORMATS, widget=forms.DateInput({"type": "date"})
    )
    unit = forms.ChoiceField(label=_("Xã, phường"), required=False)

    def __init__(self, data: Any = None, *, units: list[tuple[str, str]]) -> None:
        super().__init__(data)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", _("Toàn địa bàn")), *units]
        tabler_style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and day > today:
                self.add_error(name, _("Kỳ chưa đến: ngày không được sau hôm nay."))
            elif day is not None and day < MIN_DAY:
                self.add_error(name, _("Ngày phải từ năm 2000 trở đi."))
        if self.errors:
            return data
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        elif (end - start).days > MAX_RANGE_DAYS:
            self.add_error("start", _("Khoảng thời gian tối đa 3 năm."))
        data.update(start=start, end=end)
        return data
