"""Forms of federation's pages (R9.1, R9.3): they only parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.federation.choices import CONFLICT_RESOLUTIONS, ConflictState
from ioc.federation.models import Link


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Cách xử lý"),
        choices=[(c.value, c.label) for c in ConflictState if c in CONFLICT_RESOLUTIONS],
        widget=forms.RadioSelect,
    )


class DirectiveForm(forms.Form):
    link: forms.ModelChoiceField[Link] = forms.ModelChoiceField(
        label=_("Trung tâm cấp dưới"), queryset=Link.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    instructions = forms.CharField(
        label=_("Nội dung chỉ đạo"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    agency_code = forms.SlugField(label=_("Mã cơ quan thực hiện (bên nhận)"), max_length=60)
    working_hours = forms.FloatField(label=_("Thời hạn (giờ làm việc)"), min_value=0.5, max_value=2000)

    def __init__(self, *args: Any, links: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = links  # type: ignore[attr-defined]  # a Field has no queryset for mypy
        tabler_style(self)


class SubmitForm(forms.Form):
    """R8.2, R9.1: the parent center an issued report is submitted to."""

    link: forms.ModelChoiceField[Link] = forms.ModelChoiceField(
        label=_("Trung tâm cấp trên"), queryset=Link.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, links: list[Link], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = Link.objects.filter(pk__in=[link.pk for link in links])  # type: ignore[attr-defined]
        tabler_style(self)
