"""Forms of the configuration pages (R2.2, R2.3, R2.6): a catalogue version (the decision, then one indicator's
definition to add or change, or the indicators to retire), a target, a data call's cancellation, a recurring call
rule and its pause, resumption or end. They only parse; `catalog_version_approve`, `target_set`,
`data_call_cancel` and `call_rule_*` check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency
from ioc.agencies.selectors import agency_list
from ioc.common.forms import tabler_style
from ioc.indicators.choices import Aggregation, Direction, Level, PeriodType, Source, SourceAggregate
from ioc.indicators.forms.staff import indicator_label
from ioc.indicators.models import Indicator
from ioc.indicators.services import IndicatorSpec

TERRITORY = "territory"
# The definition's fields as the form names them (the service's IndicatorSpec keys).
SPEC_NAMES = (
    "code", "name", "name_en", "unit_label", "sector", "agency", "period_type", "levels", "aggregation",
    "weight_code", "direction", "range_low", "range_high", "tolerance", "source", "dataset_field", "datastream",
    "source_aggregate", "formula", "allow_negative", "bands", "definition", "citation",
)  # fmt: skip


def _checks() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class DecisionForm(forms.Form):
    """R2.2: the decision that approves a new version of the catalogue."""

    decision_no = forms.CharField(label=_("Số quyết định"), max_length=80)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"type": "date"}))
    signer = forms.CharField(label=_("Người ký"), max_length=160)
    note = forms.CharField(
        label=_("Nội dung thay đổi"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def decision(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"decision_no": d["decision_no"], "decision_date": d["decision_date"], "signer": d["signer"],
                "note": d["note"]}  # fmt: skip


class IndicatorForm(DecisionForm):
    """R2.1, R2.2: one indicator's definition, added or changed by the decision above."""

    code = forms.CharField(label=_("Mã"), max_length=40, help_text=_("chữ thường, số, gạch dưới; ví dụ thu_ngan_sach"))
    name = forms.CharField(label=_("Tên"), max_length=240)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=240, required=False)
    unit_label = forms.CharField(label=_("Đơn vị tính"), max_length=40)
    sector = forms.SlugField(label=_("Lĩnh vực"), max_length=40, help_text=_("ví dụ kinh-te, y-te, giao-duc"))
    agency = forms.ModelChoiceField(
        label=_("Cơ quan chịu trách nhiệm"), queryset=agency_list().none(), to_field_name="code", required=False
    )
    period_type = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodType.choices)
    levels = forms.MultipleChoiceField(label=_("Cấp báo cáo"), choices=Level.choices, widget=_checks(), required=False)
    aggregation = forms.ChoiceField(label=_("Tổng hợp lên toàn địa bàn"), choices=Aggregation.choices)
    weight_code = forms.CharField(label=_("Chỉ số trọng số"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Chiều tốt"), choices=Direction.choices)
    range_low = forms.FloatField(label=_("Cận dưới"), required=False)
    range_high = forms.FloatField(label=_("Cận trên"), required=False)
    tolerance = forms.FloatField(label=_("Ngưỡng có nguy cơ (tỉ lệ)"), min_value=0, max_value=1, initial=0.05)
    source = forms.ChoiceField(label=_("Nguồn"), choices=Source.choices)
    dataset_field = forms.CharField(
        label=_("Trường dữ liệu"), max_length=120, required=False, help_text=_("mã_bộ_dữ_liệu.tên_trường")
    )
    datastream = forms.IntegerField(
        label=_("Chuỗi quan trắc (mã Datastream)"), required=False, min_value=1, help_text=_("/sta/v1.1/Datastreams")
    )
    source_aggregate = forms.ChoiceField(label=_("Cách tính từ nguồn"), choices=SourceAggregate.choices)
    formula = forms.CharField(label=_("Công thức"), max_length=500, required=False)
    allow_negative = forms.BooleanField(label=_("Cho phép giá trị âm"), required=False)
    bands = forms.CharField(
        label=_("Dải màu"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một dải: từ; đến; màu; nhãn — ví dụ «; 50; #d63939; Thấp» rồi «50; ; #2fb344; Đạt». "
            "Giá trị thuộc dải khi từ ≤ giá trị < đến; để trống «từ» ở dải đầu, «đến» ở dải cuối."
        ),
    )
    definition = forms.CharField(label=_("Định nghĩa"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    citation = forms.CharField(
        label=_("Căn cứ"),
        max_length=200,
        required=False,
        help_text=_("Điều khoản hoặc mã chỉ tiêu thống kê; trống: đề xuất"),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agency_list().order_by("name")  # type: ignore[attr-defined]
        if editing:
            self.fields["code"].disabled = True

    def clean_bands(self) -> list[dict[str, Any]]:
        """R2.1: the lines as bands; the service checks their order, overlaps and colours."""
        bands: list[dict[str, Any]] = []
        for n, line in enumerate(t for t in self.cleaned_data["bands"].splitlines() if t.strip()):
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 4:
                raise forms.ValidationError(
                    _("Dòng %(n)s: cần 4 phần «từ; đến; màu; nhãn» / line %(n)s: from; to; colour; label"),
                    params={"n": n + 1},
                )
            bounds: list[float | None] = []
            for part in parts[:2]:
                try:
                    bounds.append(float(part.replace(",", ".")) if part else None)
                except ValueError:
                    raise forms.ValidationError(
                        _("Dòng %(n)s: «%(part)s» không phải là số / line %(n)s: not a number"),
                        params={"n": n + 1, "part": part},
                    ) from None
            bands.append({"from": bounds[0], "to": bounds[1], "colour": parts[2], "label": parts[3]})
        return bands

    def spec(self) -> IndicatorSpec:
        d = self.cleaned_data
        values: dict[str, Any] = {name: d[name] for name in SPEC_NAMES if name not in ("agency", "datastream")}
        values["agency"] = d["agency"].code if d["agency"] else None
        values["datastream"] = d["datastream"]
        values["citation"] = d["citation"] or "đề xuất"
        values["tolerance"] = d["tolerance"] if d["tolerance"] is not None else 0.05
        values["levels"] = list(d["levels"])
        return values  # type: ignore[return-value]


def indicator_initial(indicator: Indicator) -> dict[str, Any]:
    """The form's starting values for changing `indicator`."""
    initial = {name: getattr(indicator, name) for name in SPEC_NAMES if name not in ("agency", "datastream")}
    initial["agency"] = indicator.agency.code if indicator.agency else None
    initial["datastream"] = indicator.datastream_id
    initial["bands"] = bands_text(indicator.bands)
    return initial


def _number(value: float | None) -> str:
    # every digit a float holds (`:g` kept six: 1234567 came back as 1.23457e+06 and a plain save changed the band)
    return "" if value is None else f"{value:.15g}"


def bands_text(bands: list[dict[str, Any]]) -> str:
    """The bands as the form's lines (from; to; colour; label)."""
    return "\n".join(
        f"{_number(b.get('from'))}; {_number(b.get('to'))}; {b.get('colour', '')}; {b.get('label', '')}"
        for b in bands or []
    )


class RetireForm(DecisionForm):
    """R2.2: retire indicators by a decision (their values and history stay)."""

    retire = forms.MultipleChoiceField(label=_("Chỉ số thôi áp dụng"), widget=_checks())

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retire"].choices = [(i.code, f"{i.code} — {i.label}") for i in indicators]  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    """R2.3: a plan target of an indicator for a unit (or the whole territory) and a period (a year: annual)."""

    indicator = forms.ModelChoiceField(label=_("Chỉ số"), queryset=Indicator.objects.none(), to_field_name="code")
    unit = forms.ChoiceField(label=_("Đơn vị"))
    period = forms.CharField(label=_("Kỳ"), max_length=10, help_text=_("2026 (cả năm), 2026Q1, 202603"))
    value = forms.FloatField(label=_("Chỉ tiêu"))

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["indicator"].label_from_instance = indicator_label  # type: ignore[attr-defined]
        self.fields["unit"].choices = [(TERRITORY, _("Toàn địa bàn")), *units]  # type: ignore[attr-defined]
        tabler_style(self)


class CancelCallForm(forms.Form):
    """R2.6: why a data call is cancelled."""

    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class CallRuleForm(forms.Form):
    """R2.6: a recurring data call — the agency is asked for the indicator's values of every period."""

    indicator = forms.ModelChoiceField(label=_("Chỉ số"), queryset=Indicator.objects.none(), to_field_name="code")
    agency = forms.ModelChoiceField(
        label=_("Cơ quan báo cáo"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Cơ quan không thuộc phạm vi của bạn / The agency is outside your scope")},
    )
    period_type = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=PeriodType.choices,
        error_messages={"invalid_choice": _("Loại kỳ không hợp lệ / Unknown period type")},
    )
    first_period = forms.CharField(
        label=_("Kỳ đầu tiên"), max_length=10, required=False, help_text=_("trống: kỳ hiện tại; ví dụ 202607, 2026Q3")
    )
    open_after_days = forms.IntegerField(
        label=_("Mở yêu cầu sau cuối kỳ (ngày)"), initial=0, min_value=0, max_value=90,
        help_text=_("vào giờ làm việc đầu tiên của cơ quan từ ngày đó"),
    )  # fmt: skip
    working_days = forms.IntegerField(
        label=_("Hạn báo cáo (ngày làm việc)"), initial=5, min_value=1, max_value=60,
        help_text=_("tính theo lịch làm việc của cơ quan, không kể ngày nghỉ, ngày lễ"),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Nội dung"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["indicator"].label_from_instance = indicator_label  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        tabler_style(self)


class RuleActionForm(forms.Form):
    """R2.6: why a recurring call rule is paused, resumed or ended (optional)."""

    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)
