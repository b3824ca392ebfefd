"""R10.2–R10.4: the forms of running the center only parse; the services check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.agencies.models import Agency, InformationSystem
from ioc.common.forms import tabler_style
from ioc.incidents.choices import AlertSource
from ioc.operations.choices import AssetKind, MaintenanceResult, Proration, WorkPlace
from ioc.operations.models import RosterDuty, RosterShift, ShiftSwap, Staff
from ioc.regulation.models import Allowance
from ioc.worktime.selectors import LOCAL_TZ

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


def _agencies() -> Any:
    return Agency.objects.filter(is_active=True).order_by("name")


class StaffForm(Styled):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    home_agency = forms.ModelChoiceField(label=_("Cơ quan, đơn vị công tác"), queryset=Agency.objects.none())
    position = forms.CharField(label=_("Vị trí, chức danh"), max_length=300)
    work_place = forms.ChoiceField(label=_("Nơi làm việc"), choices=WorkPlace.choices)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    is_leader = forms.BooleanField(label=_("Lãnh đạo (trực chỉ huy)"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    birth_date = forms.DateField(label=_("Ngày sinh"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_agency"].queryset = _agencies()  # type: ignore[attr-defined]


class MoveForm(Styled):
    work_place = forms.ChoiceField(label=_("Nơi làm việc mới"), choices=WorkPlace.choices)
    on = forms.DateField(label=_("Từ ngày"), widget=DATE)


class PrepareForm(Styled):
    month = forms.DateField(label=_("Tháng (ngày bất kỳ trong tháng)"), widget=DATE)


class CorrectionForm(Styled):
    reason = forms.CharField(label=_("Lý do điều chỉnh"), max_length=300)


class RosterForm(Styled):
    agency = forms.ModelChoiceField(label=_("Đơn vị trực"), queryset=Agency.objects.none())
    month = forms.DateField(label=_("Tháng (ngày bất kỳ trong tháng)"), widget=DATE)
    min_per_shift = forms.IntegerField(label=_("Số người tối thiểu mỗi ca"), min_value=1, max_value=20, initial=1)
    leader_required = forms.BooleanField(label=_("Cần lãnh đạo trực chỉ huy"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]


class DutyForm(Styled):
    shift = forms.ModelChoiceField(label=_("Ca"), queryset=RosterShift.objects.none())
    staff = forms.ModelChoiceField(label=_("Nhân sự"), queryset=Staff.objects.none())
    as_leader = forms.BooleanField(label=_("Trực chỉ huy"), required=False)

    def __init__(self, *args: Any, shifts: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts  # type: ignore[attr-defined]
        self.fields["staff"].queryset = people  # type: ignore[attr-defined]


class TrainingForm(Styled):
    """R10.4 (000:7.3, 003:10.4): a training a staff member attended."""

    title = forms.CharField(label=_("Nội dung đào tạo, tập huấn"), max_length=300)
    held_on = forms.DateField(label=_("Ngày"), widget=DATE)
    hours = forms.IntegerField(label=_("Số giờ"), min_value=0, max_value=1000, initial=0)
    organiser = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200, required=False)


class SwapForm(Styled):
    """R10.4: hand a duty to someone else (approved by the IOC leader)."""

    duty = forms.ModelChoiceField(label=_("Ca của tôi"), queryset=RosterDuty.objects.none())
    to_staff = forms.ModelChoiceField(label=_("Người trực thay"), queryset=Staff.objects.none())
    reason = forms.CharField(label=_("Lý do"), max_length=300)

    def __init__(self, *args: Any, duties: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="swap", **kwargs)
        self.fields["duty"].queryset = duties  # type: ignore[attr-defined]
        self.fields["duty"].label_from_instance = lambda duty: (  # type: ignore[attr-defined]
            f"{duty.shift.starts_at.astimezone(LOCAL_TZ):%d/%m %H:%M} {duty.shift.label} — {duty.staff.full_name}"
        )
        self.fields["to_staff"].queryset = people  # type: ignore[attr-defined]


class SwapDecisionForm(Styled):
    """R10.4: the IOC leader approves or refuses a swap request."""

    swap = forms.ModelChoiceField(label=_("Đề nghị đổi ca"), queryset=ShiftSwap.objects.none())
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Duyệt")), ("0", _("Không duyệt"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args: Any, swaps: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["swap"].queryset = swaps  # type: ignore[attr-defined]


class ChangeForm(Styled):
    title = forms.CharField(label=_("Nội dung thay đổi"), max_length=200)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))
    systems = forms.CharField(label=_("Hệ thống, thành phần"), max_length=300)
    touched_systems = forms.ModelMultipleChoiceField(
        label=_("Hệ thống kết nối của cơ quan"), queryset=InformationSystem.objects.none(), required=False
    )
    sources = forms.MultipleChoiceField(
        label=_("Nguồn cảnh báo tạm ngưng"), choices=AlertSource.choices, required=False
    )
    window_start = forms.DateTimeField(label=_("Bắt đầu"), widget=DATETIME)
    window_end = forms.DateTimeField(label=_("Kết thúc"), widget=DATETIME)
    rollback_plan = forms.CharField(label=_("Phương án khôi phục"), widget=forms.Textarea(attrs={"rows": 3}))
    requester = forms.CharField(label=_("Đơn vị đề nghị"), max_length=200)
    version = forms.CharField(label=_("Phiên bản sau thay đổi"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["touched_systems"].queryset = InformationSystem.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        self.fields["sources"].widget.attrs["class"] = "form-select"


class ResultForm(Styled):
    result = forms.CharField(label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 3}))


class AssetForm(Styled):
    kind = forms.ChoiceField(label=_("Loại"), choices=AssetKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    owner_agency = forms.ModelChoiceField(label=_("Cơ quan quản lý tài sản"), queryset=Agency.objects.none())
    maintainer = forms.ModelChoiceField(label=_("Đơn vị bảo trì"), queryset=Agency.objects.none(), required=False)
    handover_no = forms.CharField(label=_("Số biên bản bàn giao"), max_length=60, required=False)
    handover_date = forms.DateField(label=_("Ngày bàn giao"), widget=DATE, required=False)
    location = forms.CharField(label=_("Vị trí"), max_length=200, required=False)
    serial = forms.CharField(label=_("Số sê-ri"), max_length=100, required=False)
    warranty_until = forms.DateField(label=_("Bảo hành đến"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner_agency", "maintainer"):
            self.fields[name].queryset = _agencies()  # type: ignore[attr-defined]


class PlanForm(Styled):
    title = forms.CharField(label=_("Nội dung bảo dưỡng"), max_length=200)
    interval_days = forms.IntegerField(label=_("Chu kỳ (ngày)"), required=False)
    due_on = forms.DateField(label=_("Đến hạn"), widget=DATE, required=False)


class RecordForm(Styled):
    done_on = forms.DateField(label=_("Ngày thực hiện"), widget=DATE)
    result = forms.ChoiceField(label=_("Kết quả"), choices=MaintenanceResult.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=2000, required=False)


class FaultForm(Styled):
    description = forms.CharField(label=_("Mô tả sự cố"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    stops_operation = forms.BooleanField(label=_("Làm ngừng hoạt động"), required=False)


class RulesForm(Styled):
    proration = forms.ChoiceField(label=_("Tháng không trọn"), choices=Proration.choices)
    center = forms.ModelChoiceField(label=_("Tại Trung tâm"), queryset=Allowance.objects.none(), required=False)
    elsewhere = forms.ModelChoiceField(label=_("Ngoài Trung tâm"), queryset=Allowance.objects.none(), required=False)

    def __init__(self, *args: Any, allowances: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("center", "elsewhere"):
            self.fields[name].queryset = allowances if allowances is not None else Allowance.objects.none()  # type: ignore[attr-defined]
