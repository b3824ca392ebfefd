"""R5.7: the live feed's filters; they only parse (the selector applies them)."""

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
