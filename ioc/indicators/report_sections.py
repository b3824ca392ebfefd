"""R8.1, R2.3: monitoring indicators and their warnings in the reports (`ioc.common.report_sections`).

The warnings raised in the report's period on the indicators the user may see (an agency sees its indicators',
as in `selectors.warning_list`), and the number of indicators in the catalogue (`selectors.indicator_list`).
Indicators' warnings are read for the territory; a report of one agency or commune leaves this section out.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import user_scope
from ioc.common.report_sections import TERRITORY, Figure, FigureContext, Section, Table, register_section
from ioc.indicators.choices import WarningKind
from ioc.indicators.models import IndicatorWarning
from ioc.indicators.selectors import indicator_list

TABLE_ROWS_MAX = 50


def period_warnings(ctx: FigureContext) -> QuerySet[IndicatorWarning]:
    """Warnings raised in the period on the indicators in the user's scope, newest first."""
    scope = user_scope(user=ctx.user)
    mine = Q() if scope.everything else Q(indicator__agency_id__in=scope.agency_ids)
    return IndicatorWarning.objects.filter(mine, created_at__gte=ctx.start, created_at__lt=ctx.end).order_by(
        "-created_at", "-pk"
    )


def _warnings(ctx: FigureContext) -> int:
    return period_warnings(ctx).count()


def _not_met(ctx: FigureContext) -> int:
    return period_warnings(ctx).filter(kind=WarningKind.NOT_MET).count()


def _indicators(ctx: FigureContext) -> int:
    return indicator_list().count()


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
    Figure("indicators.count", _("Số chỉ số giám sát"), "value", _indicators, TERRITORY),
    Figure("indicators.warnings", _("Cảnh báo chỉ số trong kỳ"), "value", _warnings, TERRITORY),
    Figure("indicators.not_met", _("Chỉ số không đạt chỉ tiêu"), "value", _not_met, TERRITORY),
    Figure("indicators.warning_list", _("Danh sách cảnh báo chỉ số"), "table", _table, TERRITORY),
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
