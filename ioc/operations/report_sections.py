"""R8.1 (003:6.6), R10.2–R10.4: the center's part of the operation report — staffing, duty coverage, maintenance
done and overdue, changes, equipment faults — registered with `ioc.common.report_sections` (territory only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import TERRITORY, Figure, FigureContext, Section, register_section
from ioc.operations.selectors import period_figures


def _figure(name: str) -> Any:
    def compute(ctx: FigureContext) -> int:
        return period_figures(start=ctx.start, end=ctx.end)[name]

    return compute


FIGURES = (
    Figure("operations.staff_center", _("Nhân sự làm việc tại Trung tâm"), "value", _figure("staff_center"), TERRITORY),
    Figure(
        "operations.staff_elsewhere",
        _("Nhân sự làm nhiệm vụ ngoài Trung tâm"),
        "value",
        _figure("staff_elsewhere"),
        TERRITORY,
    ),
    Figure("operations.coverage_gaps", _("Ca trực thiếu người"), "value", _figure("coverage_gaps"), TERRITORY),
    Figure("operations.maintenance_done", _("Lần bảo dưỡng đã làm"), "value", _figure("maintenance_done"), TERRITORY),
    Figure(
        "operations.maintenance_overdue",
        _("Kế hoạch bảo dưỡng quá hạn"),
        "value",
        _figure("maintenance_overdue"),
        TERRITORY,
    ),
    Figure("operations.changes_closed", _("Thay đổi đã hoàn thành"), "value", _figure("changes_closed"), TERRITORY),
    Figure(
        "operations.changes_unapproved",
        _("Thay đổi chưa được phê duyệt phát hiện"),
        "value",
        _figure("changes_unapproved"),
        TERRITORY,
    ),
    Figure("operations.faults", _("Sự cố thiết bị"), "value", _figure("faults"), TERRITORY),
    Figure(
        "operations.faults_stopping", _("Sự cố làm ngừng hoạt động"), "value", _figure("faults_stopping"), TERRITORY
    ),
)

SECTION = register_section(
    Section(
        code="operations",
        title=_("Vận hành Trung tâm"),
        order=90,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trung tâm có {{ operations.staff_center }} người làm việc tại Trung tâm và "
                "{{ operations.staff_elsewhere }} người làm nhiệm vụ ngoài Trung tâm; "
                "{{ operations.coverage_gaps }} ca trực thiếu người. Đã bảo dưỡng "
                "{{ operations.maintenance_done }} lần, còn "
                "{{ operations.maintenance_overdue }} kế hoạch quá hạn; {{ operations.faults }} sự cố thiết bị (trong "
                "đó {{ operations.faults_stopping }} sự cố làm ngừng hoạt động); {{ operations.changes_closed }} thay "
                "đổi hệ thống đã hoàn thành, {{ operations.changes_unapproved }} thay đổi chưa được phê duyệt."
            },
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R10.2, R10.3, R10.4",
    )
)
