"""R7.1: the handover form only parses; `handover_write` checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.duty.services import TEXT_MAX


class HandoverForm(forms.Form):
    happened = forms.CharField(
        label=_("Diễn biến trong ca"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    next_steps = forms.CharField(
        label=_("Việc ca sau cần theo dõi"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)
