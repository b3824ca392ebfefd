"""R8.1, R8.3: the reports' forms only parse; the services check and write (their errors go on the fields)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import agency_list
from ioc.common.forms import tabler_style
from ioc.common.report_sections import focuses
from ioc.geo.models import AdminUnit
from ioc.regulation.selectors import review_meetings
from ioc.reporting.choices import MEETING_KINDS, ScopeKind, TemplateKind
from ioc.reporting.models import Report
from ioc.reporting.selectors import template_list

# A drawn area of AREA_MAX_VERTICES vertices is about 40 characters a vertex in JSON.
AREA_TEXT_MAX = 100_000


class GenerateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=template_list(), to_field_name="code")
    period = forms.CharField(
        label=_("Kỳ báo cáo"), max_length=10, help_text=_("Mã kỳ: 202507 (tháng), 2025Q3 (quý), 2025S1, 2025")
    )
    scope_kind = forms.ChoiceField(label=_("Phạm vi"), choices=ScopeKind.choices, initial=ScopeKind.TERRITORY)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=agency_list(), required=False)
    unit = forms.CharField(label=_("Mã xã, phường"), max_length=16, required=False)
    area = forms.CharField(
        label=_("Vùng chọn trên bản đồ"),
        max_length=AREA_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            'Từ trang Bản đồ số (nút “Lập báo cáo cho vùng này”), hoặc nhập: {"unit": "mã xã"}, '
            '{"point": [vĩ độ, kinh độ], "radius_m": 1000} hay {"geometry": GeoJSON Polygon}'
        ),
    )

    # Issue 17: a thematic briefing narrowed to one scenario or sector; the service checks the code (like the period).
    focus_kind = forms.ChoiceField(label=_("Thu hẹp theo"), choices=(), required=False)
    focus_code = forms.CharField(
        label=_("Mã kịch bản hoặc lĩnh vực"),
        max_length=60,
        required=False,
        help_text=_("Chỉ cho báo cáo chuyên đề: mã kịch bản (ví dụ ngap-lut) hoặc mã lĩnh vực (ví dụ y-te)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = template_list()  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agency_list()  # type: ignore[attr-defined]
        self.fields["focus_kind"].choices = [  # type: ignore[attr-defined]
            ("", _("Không thu hẹp")),
            *((focus.code, focus.label) for focus in focuses()),
        ]
        tabler_style(self)

    def clean_period(self) -> str:
        return str(self.cleaned_data["period"]).strip().upper()

    def clean_focus_code(self) -> str:
        return str(self.cleaned_data.get("focus_code") or "").strip()

    def clean_unit(self) -> AdminUnit | None:
        code = str(self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        found = AdminUnit.objects.filter(hierarchy="2025", code=code).first()
        if found is None:
            raise forms.ValidationError(_("Không có xã, phường mã %(code)s.") % {"code": code})
        return found

    def clean_area(self) -> Any:
        """The selection as JSON (an object); the service checks what it says (ioc.reporting.areas)."""
        text = str(self.cleaned_data.get("area") or "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
            raise forms.ValidationError(_("Vùng chọn phải là một đối tượng JSON hợp lệ.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Vùng chọn phải là một đối tượng JSON hợp lệ."))
        return value


class EditForm(forms.Form):
    """The draft's title, each text block (`text_<block id>`), recipients and signer."""

    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    recipients = forms.CharField(label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        initial = {
            "title": report.title,
            "recipients": report.recipients,
            "signer_title": report.signer_title,
            "signer_name": report.signer_name,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.blocks: list[tuple[str, str]] = []
        for section in report.content:
            for block in section["blocks"]:
                if "text" not in block:
                    continue
                name = f"text_{block['id']}"
                self.fields[name] = forms.CharField(
                    label=section["title"],
                    required=False,
                    initial=block["text"],
                    help_text=block.get("editable", ""),
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                self.blocks.append((name, block["id"]))
        tabler_style(self)

    def texts(self) -> dict[str, str]:
        return {block_id: self.cleaned_data.get(name) or "" for name, block_id in self.blocks}


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản"), max_length=40, required=False, help_text=_("Để trống: số tiếp theo của năm")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


# --- review meetings (R8.4) -----------------------------------------------------------------------------------


class MeetingScheduleForm(forms.Form):
    """R8.4: a sitting of one of the act's review meetings for a period."""

    code = forms.ChoiceField(label=_("Cuộc họp theo quy chế"), choices=())
    period = forms.CharField(label=_("Kỳ kiểm điểm"), max_length=10, help_text=_("2025S1 (6 tháng), 2025 (năm)"))
    held_on = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"type": "date"}))
    chair = forms.CharField(label=_("Chủ trì"), max_length=200, required=False, help_text=_("Để trống: theo quy chế"))
    agenda = forms.CharField(
        label=_("Chương trình họp"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [  # type: ignore[attr-defined]
            (m.code, f"{m.name} ({m.get_frequency_display()})") for m in review_meetings()
        ]
        tabler_style(self)


class MinutesForm(forms.Form):
    """R8.4: the agenda, the day and the minutes of a meeting not yet closed."""

    held_on = forms.DateField(label=_("Ngày họp"), widget=forms.DateInput(attrs={"type": "date"}))
    agenda = forms.CharField(
        label=_("Chương trình họp"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    minutes = forms.CharField(
        label=_("Biên bản"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 12})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class DecisionForm(forms.Form):
    """R8.4: a decision assigned to an agency with a deadline in working hours."""

    text = forms.CharField(label=_("Nội dung kết luận"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    agency = forms.ModelChoiceField(label=_("Cơ quan thực hiện"), queryset=agency_list())
    working_hours = forms.FloatField(label=_("Thời hạn (giờ làm việc)"), min_value=0.5, max_value=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_list()  # type: ignore[attr-defined]
        tabler_style(self)


class FollowUpForm(forms.Form):
    """R8.4: how far an earlier meeting's decision went, reviewed at this meeting."""

    note = forms.CharField(label=_("Kết quả kiểm điểm"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class OutsideReportForm(forms.Form):
    """R8.3: a meeting report made outside the IOC (the service checks the kind, the day and the text)."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=())
    title = forms.CharField(label=_("Trích yếu"), max_length=300)
    number = forms.CharField(label=_("Số văn bản"), max_length=40, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.CharField(label=_("Phục vụ cuộc họp"), max_length=300)
    reason = forms.CharField(
        label=_("Lý do không lập từ dữ liệu IOC"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in TemplateKind.choices if value in MEETING_KINDS
        ]
        tabler_style(self)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do rút"), max_length=2000)
