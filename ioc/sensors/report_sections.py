"""R8.1, R5.5, R4.1: the sensors (SensorThings) in the reports, registered with `ioc.common.report_sections`.

For the report's period and scope (the territory, one owner agency's Things, or the Things located in one commune),
through `selectors.sensors_period_figures` and the viewer's visibility: the readings received, those out of their
property's normal band (`rules_catalogue.normal_upper`), the alert rules' firings and the alerts they handed to
the IOC's inbox, and the Datastreams that sent nothing in the period (stale). Joins the operations reports.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import (
    ALL_SCOPES,
    Figure,
    FigureContext,
    Section,
    Table,
    figure_memo,
    register_section,
)
from ioc.sensors.selectors import STALE_ROWS_MAX, SensorsPeriod, sensors_period_figures

TOTALS = ("datastreams", "readings", "out_of_band", "firings", "alerts")


def period_figures(ctx: FigureContext) -> SensorsPeriod:
    """The period's figures, read once per report (`figure_memo`): eight scans of a month of readings would cost
    eight times one."""
    scope = ctx.scope
    return figure_memo(
        ctx,
        (sensors_period_figures,),
        lambda: sensors_period_figures(
            user=ctx.user,
            start=ctx.start,
            end=ctx.end,
            agency_id=scope.agency_id if scope.kind == "agency" else None,
            unit_id=scope.unit_id if scope.kind == "commune" else None,
        ),
    )


def _total(name: str) -> Any:
    return lambda ctx: getattr(period_figures(ctx).totals, name)


def _stale(ctx: FigureContext) -> int:
    return len(period_figures(ctx).stale)


def by_property(ctx: FigureContext) -> Table:
    figures = period_figures(ctx)
    return Table(
        columns=(
            _("Đại lượng quan trắc"),
            _("Chuỗi số liệu"),
            _("Số đo trong kỳ"),
            _("Số đo vượt ngưỡng bình thường"),
            _("Lần quy tắc cảnh báo kích hoạt"),
            _("Cảnh báo chuyển Trung tâm"),
        ),
        rows=[[row.label, *(getattr(row, name) for name in TOTALS)] for row in figures.by_property],
        totals=[str(_("Tổng cộng")), *(getattr(figures.totals, name) for name in TOTALS)],
    )


def stale_list(ctx: FigureContext) -> Table:
    """The first stale Datastreams by station (the count is `sensors.stale`)."""
    never = str(_("chưa có số đo"))
    rows = [
        [s.thing, s.name, timezone.localtime(s.latest_time).strftime("%d/%m/%Y %H:%M") if s.latest_time else never]
        for s in period_figures(ctx).stale[:STALE_ROWS_MAX]
    ]
    return Table(columns=(_("Trạm"), _("Chuỗi số liệu"), _("Số đo gần nhất")), rows=rows)


FIGURES = (
    Figure("sensors.datastreams", _("Chuỗi số liệu quan trắc"), "value", _total("datastreams"), ALL_SCOPES),
    Figure("sensors.readings", _("Số đo nhận trong kỳ"), "value", _total("readings"), ALL_SCOPES),
    Figure("sensors.out_of_band", _("Số đo vượt ngưỡng bình thường"), "value", _total("out_of_band"), ALL_SCOPES),
    Figure("sensors.firings", _("Lần quy tắc cảnh báo kích hoạt"), "value", _total("firings"), ALL_SCOPES),
    Figure("sensors.alerts", _("Cảnh báo cảm biến chuyển Trung tâm"), "value", _total("alerts"), ALL_SCOPES),
    Figure("sensors.stale", _("Chuỗi số liệu không có số đo trong kỳ"), "value", _stale, ALL_SCOPES),
    Figure("sensors.by_property", _("Quan trắc theo đại lượng"), "table", by_property, ALL_SCOPES),
    Figure("sensors.stale_list", _("Chuỗi số liệu không có số đo"), "table", stale_list, ALL_SCOPES),
)

SECTION = register_section(
    Section(
        code="sensors",
        title=_("Quan trắc, cảm biến"),
        order=42,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, {{ sensors.datastreams }} chuỗi số liệu quan trắc gửi về {{ sensors.readings }} số "
                "đo, trong đó {{ sensors.out_of_band }} số đo vượt ngưỡng bình thường; các quy tắc cảnh báo kích "
                "hoạt {{ sensors.firings }} lần, {{ sensors.alerts }} lần chuyển cảnh báo về Trung tâm; "
                "{{ sensors.stale }} chuỗi số liệu không có số đo trong kỳ."
            },
            {"table": "sensors.by_property"},
            {"table": "sensors.stale_list"},
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R5.5, R4.1",
    )
)
