"""Configuration form of procedures (R5.3, "Quản trị"): a procedure version typed by the IOC. Parsing only; the
service checks the rest (steps within the limit, one version per date)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.dossiers.services.procedure_import import step_from_item


class ProcedureVersionForm(forms.Form):
    code = forms.CharField(label=_("Mã thủ tục quốc gia"), max_length=60)
    name = forms.CharField(label=_("Tên thủ tục"), max_length=400)
    field = forms.CharField(label=_("Lĩnh vực"), max_length=200)
    effective_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    limit_days = forms.DecimalField(label=_("Thời hạn (ngày làm việc)"), min_value=Decimal("0.25"), max_digits=6)
    fee = forms.DecimalField(label=_("Phí, lệ phí (đồng)"), min_value=Decimal(0), max_digits=14, decimal_places=0)
    documents = forms.CharField(
        label=_("Thành phần hồ sơ (mỗi dòng một giấy tờ)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    steps = forms.CharField(
        label=_("Các bước (mỗi dòng: mã | tên | số ngày)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: tiep-nhan | Tiếp nhận | 0.5"),
    )
    stop_clock_on_supplement = forms.BooleanField(
        label=_("Dừng tính thời hạn khi chờ bổ sung hồ sơ"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def clean_documents(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["documents"].splitlines() if line.strip()]

    def clean_steps(self) -> list[dict[str, str]]:
        steps = []
        for n, line in enumerate(filter(str.strip, self.cleaned_data["steps"].splitlines()), start=1):
            step = step_from_item(line)
            if step is None:
                raise forms.ValidationError(_("Dòng %(n)s cần “mã | tên | số ngày”") % {"n": n}, code="step_line")
            steps.append(step)
        return steps


PROCEDURE_FILE_MAX = 2 * 2**20  # a province's whole list of procedures is a few hundred rows, well under this
PROCEDURE_FILE_SUFFIXES = (".xlsx", ".csv")


class ProcedureFileForm(forms.Form):
    """R5.3: an officer's file of procedures in the `thu_tuc_hanh_chinh` template."""

    file = forms.FileField(
        label=_("Tệp thủ tục (.xlsx hoặc .csv theo mẫu)"),
        error_messages={"required": _("Chọn tệp để tải lên")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(PROCEDURE_FILE_SUFFIXES)}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(PROCEDURE_FILE_SUFFIXES):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv"), code="suffix")
        if (upload.size or 0) > PROCEDURE_FILE_MAX:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 2 MB)"), code="size")
        return upload
