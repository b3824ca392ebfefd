"""R8.1, R2.3: monitoring indicators and their warnings in the reports (`ioc.common.report_sections`).

The warnings raised in the report's period on the indicators the user may see (an agency sees its indicators',
as in `selectors.warning_list`), and the number of indicators in the catalogue: `selectors.report_warnings` and
`selectors.report_indicator_count`. Issue 17: every scope but an area — an agency's report counts the agency's
indicators and their warnings, a commune's report the warnings of that commune (by unit) and the indicators
reported per commune. A thematic briefing narrowed to one sector (focus "sector", registered here: the indicators
and warnings of one monitored domain) counts that sector's only.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import (
    ALL_SCOPES,
    Figure,
    FigureContext,
    FocusKind,
    Section,
    Table,
    register_focus,
    register_section,
)
from ioc.indicators.choices import WarningKind
from ioc.indicators.models import IndicatorWarning
from ioc.indicators.selectors import report_indicator_count, report_warnings, sector_label, sectors

TABLE_ROWS_MAX = 50
SECTOR = "sector"
FOCUSES = frozenset({SECTOR})


def _sector_resolve(code: str) -> str | None:
    """A sector of the active catalogue by its code (its name), or None."""
    return sector_label(code) if code in dict(sectors()) else None


FOCUS = register_focus(FocusKind(SECTOR, _("Lĩnh vực chỉ số"), _sector_resolve, sectors))


def _sector(ctx: FigureContext) -> str:
    return ctx.scope.focus_code if ctx.scope.focus_kind == SECTOR else ""


def period_warnings(ctx: FigureContext) -> QuerySet[IndicatorWarning]:
    """Warnings raised in the period on the indicators in the user's scope, narrowed to the report's agency,
    commune or sector; newest first."""
    scope = ctx.scope
    return report_warnings(
        user=ctx.user,
        start=ctx.start,
        end=ctx.end,
        agency_id=scope.agency_id if scope.kind == "agency" else None,
        unit_id=scope.unit_id if scope.kind == "commune" else None,
        sector=_sector(ctx),
    )


def _warnings(ctx: FigureContext) -> int:
    return period_warnings(ctx).count()


def _not_met(ctx: FigureContext) -> int:
    return period_warnings(ctx).filter(kind=WarningKind.NOT_MET).count()


def _indicators(ctx: FigureContext) -> int:
    scope = ctx.scope
    return report_indicator_count(
        agency_id=scope.agency_id if scope.kind == "agency" else None,
        commune_level=scope.kind == "commune",
        sector=_sector(ctx),
    )


def _table(ctx: FigureContext) -> Table:
    rows = period_warnings(ctx).select_related("indicator", "unit")[:TABLE_ROWS_MAX]
    kinds = dict(WarningKind.choices)
    return Table(
        columns=(_("Chỉ số"), _("Địa bàn"), _("Kỳ"), _("Cảnh báo"), _("Giá trị"), _("Chỉ tiêu")),
        rows=[
            [
                w.indicator.name,
                w.unit.name if w.unit else "",
                w.period,
                str(kinds.get(w.kind, w.kind)),
                w.value,
                w.target,
            ]
            for w in rows
        ],
    )


FIGURES = (
    Figure("indicators.count", _("Số chỉ số giám sát"), "value", _indicators, ALL_SCOPES, FOCUSES),
    Figure("indicators.warnings", _("Cảnh báo chỉ số trong kỳ"), "value", _warnings, ALL_SCOPES, FOCUSES),
    Figure("indicators.not_met", _("Chỉ số không đạt chỉ tiêu"), "value", _not_met, ALL_SCOPES, FOCUSES),
    Figure("indicators.warning_list", _("Danh sách cảnh báo chỉ số"), "table", _table, ALL_SCOPES, FOCUSES),
)

SECTION = register_section(
    Section(
        code="indicators",
        title=_("Chỉ số giám sát và cảnh báo"),
        order=50,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trung tâm theo dõi {{ indicators.count }} chỉ số; trong kỳ phát sinh "
                "{{ indicators.warnings }} cảnh báo, trong đó {{ indicators.not_met }} cảnh báo không đạt chỉ tiêu."
            },
            {"table": "indicators.warning_list"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R8.1, R2.3",
    )
)
