"""R8.1, R3.5: the citizen reports' section of the reports ("báo cáo"), registered with `ioc.common.report_sections`.

Every figure is the answer of `statistics.citizen_reports_statistics` for the report's period and the user's rights:
the totals of the territory, or the row of the report's agency or commune; the tables by agency, category and
commune (restricted to the report's agency or commune when the table is grouped by it). A report for an area of
the map (issue 17) gets the `area_*` figures instead: the map hook `citizen_reports_counts_in_area` for its period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.selectors.maps import citizen_reports_counts_in_area
from ioc.citizen_reports.statistics import Statistics, StatisticsRow, citizen_reports_statistics
from ioc.common.report_sections import (
    AREA,
    TERRITORY,
    Figure,
    FigureContext,
    Section,
    Table,
    area_counts,
    area_figure,
    register_section,
)

COLUMNS = (
    _("Tiếp nhận"),
    _("Đã xử lý"),
    _("Đúng hạn"),
    _("Quá hạn"),
    _("Hài lòng (1–5)"),
)
_SCOPE_DIMENSION = {"agency": "agency", "commune": "commune"}


def _statistics(ctx: FigureContext, group_by: str) -> Statistics:
    first, last = ctx.start.date(), (ctx.end - dt.timedelta(days=1)).date()
    return citizen_reports_statistics(user=ctx.user, start=first, end=last, group_by=group_by, now=ctx.now)


def _scope_key(ctx: FigureContext) -> str | None:
    if ctx.scope.kind == "agency":
        return str(ctx.scope.agency_id)
    if ctx.scope.kind == "commune":
        return str(ctx.scope.unit_id)
    return None


def totals(ctx: FigureContext) -> StatisticsRow:
    """The period's totals for the report's scope: the territory's, or its agency's or commune's row."""
    key = _scope_key(ctx)
    if key is None:
        return _statistics(ctx, "agency").totals
    stats = _statistics(ctx, _SCOPE_DIMENSION[ctx.scope.kind])
    return next((row for row in stats.rows if row.key == key), StatisticsRow(key=key, label=""))


def _total(name: str) -> Any:
    return lambda ctx: getattr(totals(ctx), name)


def _on_time_rate(ctx: FigureContext) -> float | None:
    row = totals(ctx)
    return round(100 * row.on_time / row.handled, 1) if row.handled else None


def _table(group_by: str) -> Any:
    def compute(ctx: FigureContext) -> Table:
        stats = _statistics(ctx, group_by)
        key = _scope_key(ctx) if _SCOPE_DIMENSION.get(ctx.scope.kind) == group_by else None
        rows = [row for row in stats.rows if key is None or row.key == key]
        return Table(
            columns=(_label(group_by), *COLUMNS),
            rows=[_cells(row) for row in rows],
            totals=_cells(stats.totals) if key is None else None,
        )

    return compute


def in_area(ctx: FigureContext) -> Mapping[str, Any]:
    """Issue 17: the map hook's answer for the report's area and period (reports received in the period with a
    point in the area, in the user's scope), asked once per report."""
    return area_counts(ctx, citizen_reports_counts_in_area)


def _area_count(name: str) -> Any:
    return area_figure(citizen_reports_counts_in_area, name)


def _area_by_status(ctx: FigureContext) -> Table:
    counts = in_area(ctx)
    labels = dict(ReportStatus.choices)
    rows = sorted(counts["by_status"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Trạng thái"), _("Số phản ánh")),
        rows=[[str(labels.get(status, status)), n] for status, n in rows],
        totals=[str(_("Tổng cộng")), counts["total"]],
    )


def _area_by_category(ctx: FigureContext) -> Table:
    counts = in_area(ctx)
    names = dict(Category.objects.filter(code__in=counts["by_category"]).values_list("code", "name"))
    rows = sorted(counts["by_category"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Lĩnh vực"), _("Số phản ánh")),
        rows=[[names.get(code, code), n] for code, n in rows],
        totals=[str(_("Tổng cộng")), counts["total"]],
    )


def _label(group_by: str) -> Any:
    return {"agency": _("Cơ quan, đơn vị"), "category": _("Lĩnh vực"), "commune": _("Xã, phường")}[group_by]


def _cells(row: StatisticsRow) -> list[Any]:
    return [str(row.label), row.received, row.handled, row.on_time, row.overdue, row.rating_avg]


FIGURES = (
    Figure("citizen_reports.received", _("Phản ánh tiếp nhận"), "value", _total("received")),
    Figure("citizen_reports.handled", _("Phản ánh đã xử lý"), "value", _total("handled")),
    Figure("citizen_reports.on_time", _("Phản ánh xử lý đúng hạn"), "value", _total("on_time")),
    Figure("citizen_reports.overdue", _("Phản ánh quá hạn"), "value", _total("overdue")),
    Figure("citizen_reports.on_time_rate", _("Tỷ lệ xử lý đúng hạn (%)"), "value", _on_time_rate),
    Figure("citizen_reports.rating_avg", _("Mức hài lòng trung bình"), "value", _total("rating_avg")),
    Figure(
        "citizen_reports.by_agency",
        _("Phản ánh theo cơ quan"),
        "table",
        _table("agency"),
        frozenset({"territory", "agency"}),
    ),
    Figure("citizen_reports.by_category", _("Phản ánh theo lĩnh vực"), "table", _table("category"), TERRITORY),
    Figure(
        "citizen_reports.by_commune",
        _("Phản ánh theo xã, phường"),
        "table",
        _table("commune"),
        frozenset({"territory", "commune"}),
    ),
    Figure("citizen_reports.area_received", _("Phản ánh tiếp nhận trong vùng"), "value", _area_count("total"), AREA),
    Figure("citizen_reports.area_open", _("Phản ánh trong vùng còn mở"), "value", _area_count("open"), AREA),
    Figure("citizen_reports.area_by_status", _("Phản ánh trong vùng theo trạng thái"), "table", _area_by_status, AREA),
    Figure(
        "citizen_reports.area_by_category", _("Phản ánh trong vùng theo lĩnh vực"), "table", _area_by_category, AREA
    ),
)

SECTION = register_section(
    Section(
        code="citizen_reports",
        title=_("Tiếp nhận, xử lý phản ánh hiện trường"),
        order=20,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, Trung tâm tiếp nhận {{ citizen_reports.received }} phản ánh; đã xử lý "
                "{{ citizen_reports.handled }}, trong đó {{ citizen_reports.on_time }} đúng hạn (tỷ lệ "
                "{{ citizen_reports.on_time_rate }} %); {{ citizen_reports.overdue }} phản ánh quá hạn. Mức hài "
                "lòng trung bình của người dân: {{ citizen_reports.rating_avg }}."
            },
            {"table": "citizen_reports.by_agency"},
            {"chart": "citizen_reports.by_agency", "column": 1},
            {"table": "citizen_reports.by_category"},
            {"table": "citizen_reports.by_commune"},
            {
                "text": "Trong kỳ, Trung tâm tiếp nhận {{ citizen_reports.area_received }} phản ánh có vị trí trong "
                "vùng đã chọn; {{ citizen_reports.area_open }} phản ánh còn đang xử lý."
            },
            {"table": "citizen_reports.area_by_status"},
            {"table": "citizen_reports.area_by_category"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R8.1, R3.5",
    )
)
