"""Forms of the working-calendar page (R3.3, R4.3): they parse; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.agencies import selectors as agency_selectors
from ioc.common.forms import tabler_style
from ioc.worktime.choices import ExceptionKind
from ioc.worktime.models import DEFAULT_AFTERNOON, DEFAULT_MORNING


class CalendarExceptionForm(forms.Form):
    """An extra day off or a compensatory working day, citing the deciding document."""

    date = forms.DateField(label=_("Ngày / Date"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Loại / Kind"), choices=ExceptionKind.choices)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    document_ref = forms.CharField(label=_("Văn bản quyết định / Deciding document"), max_length=200)
    prefix = "exception"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class WorkingHoursForm(forms.Form):
    """An agency's working periods (no agency = the default of every agency), or 24/7."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan (để trống = mặc định) / Agency (empty = default)"),
        queryset=agency_selectors.agency_list(),
        required=False,
        empty_label=_("— Mặc định cho mọi cơ quan / Default for every agency —"),
        error_messages={"invalid_choice": _("Cơ quan không tồn tại hoặc đã ngừng hoạt động / Unknown agency")},
    )
    morning_start = forms.TimeField(label=_("Sáng từ / Morning from"), initial=DEFAULT_MORNING[0])
    morning_end = forms.TimeField(label=_("Sáng đến / Morning to"), initial=DEFAULT_MORNING[1])
    afternoon_start = forms.TimeField(label=_("Chiều từ / Afternoon from"), initial=DEFAULT_AFTERNOON[0])
    afternoon_end = forms.TimeField(label=_("Chiều đến / Afternoon to"), initial=DEFAULT_AFTERNOON[1])
    around_the_clock = forms.BooleanField(label=_("Làm việc 24/7 / Around the clock"), required=False)
    prefix = "hours"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("morning_start", "morning_end", "afternoon_start", "afternoon_end"):
            self.fields[name].widget = forms.TimeInput({"type": "time"}, format="%H:%M")
        tabler_style(self)
