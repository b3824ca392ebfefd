"""R8.1: the report's own figures (its period and scope as words), usable in any template's text."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import Figure, FigureContext, Section, register_section
from ioc.reporting.content import period_label


def _period(ctx: FigureContext) -> str:
    return period_label(ctx.period_code)


def _scope(ctx: FigureContext) -> str:
    from ioc.reporting.selectors import scope_label

    return scope_label(ctx.scope)


SECTION = register_section(
    Section(
        code="report",
        title=_("Thông tin báo cáo"),
        order=0,
        figures=(
            Figure("report.period", _("Kỳ báo cáo"), "value", _period),
            Figure("report.scope", _("Phạm vi báo cáo"), "value", _scope),
        ),
        blocks=(),
        tags=frozenset(),
    )
)
