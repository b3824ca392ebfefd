"""R8.1, R1.3: data received from agencies in the reports (`ioc.common.report_sections`).

The compliance board (`selectors.compliance_board`) over the report's period: each agency's dues that passed in
the period, on time, late and missing, read at the period's end (or now, for a period still running).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import Figure, FigureContext, Section, Table, register_section
from ioc.datahub.choices import DueState
from ioc.datahub.selectors import AgencyCompliance, compliance_board

TERRITORY_OR_AGENCY = frozenset({"territory", "agency"})


def board(ctx: FigureContext) -> list[AgencyCompliance]:
    """The board over the period's days, for the user's rights, narrowed to the report's agency."""
    until = min(ctx.end, ctx.now)
    days = max(1, (until - ctx.start).days)
    rows = compliance_board(user=ctx.user, now=until, days=days)
    if ctx.scope.kind == "agency":
        rows = [row for row in rows if row.agency_id == ctx.scope.agency_id]
    return rows


def _count(state: str) -> Any:
    return lambda ctx: sum(row.counts.get(state, 0) for row in board(ctx))


def _rate(ctx: FigureContext) -> float | None:
    rows = board(ctx)
    passed = sum(row.passed for row in rows)
    on_time = sum(row.counts.get(DueState.ON_TIME, 0) for row in rows)
    return round(100 * on_time / passed, 1) if passed else None


def _table(ctx: FigureContext) -> Table:
    rows = [
        [
            row.agency_name,
            row.counts.get(DueState.ON_TIME, 0),
            row.counts.get(DueState.LATE, 0),
            row.counts.get(DueState.MISSING, 0),
            round(100 * row.on_time_rate, 1) if row.on_time_rate is not None else None,
        ]
        for row in board(ctx)
    ]
    return Table(
        columns=(_("Cơ quan, đơn vị"), _("Đúng hạn"), _("Trễ hạn"), _("Chưa gửi"), _("Tỷ lệ đúng hạn (%)")), rows=rows
    )


FIGURES = (
    Figure("datahub.on_time", _("Lượt gửi dữ liệu đúng hạn"), "value", _count(DueState.ON_TIME), TERRITORY_OR_AGENCY),
    Figure("datahub.late", _("Lượt gửi dữ liệu trễ hạn"), "value", _count(DueState.LATE), TERRITORY_OR_AGENCY),
    Figure("datahub.missing", _("Lượt chưa gửi dữ liệu"), "value", _count(DueState.MISSING), TERRITORY_OR_AGENCY),
    Figure("datahub.on_time_rate", _("Tỷ lệ gửi dữ liệu đúng hạn (%)"), "value", _rate, TERRITORY_OR_AGENCY),
    Figure("datahub.by_agency", _("Tiếp nhận dữ liệu theo cơ quan"), "table", _table, TERRITORY_OR_AGENCY),
)

SECTION = register_section(
    Section(
        code="datahub",
        title=_("Tiếp nhận dữ liệu từ các cơ quan, đơn vị"),
        order=10,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, các cơ quan, đơn vị gửi dữ liệu đúng hạn {{ datahub.on_time }} lượt, trễ hạn "
                "{{ datahub.late }} lượt, chưa gửi {{ datahub.missing }} lượt (tỷ lệ đúng hạn "
                "{{ datahub.on_time_rate }} %)."
            },
            {"table": "datahub.by_agency"},
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R1.3",
    )
)
