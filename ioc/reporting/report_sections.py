"""R8.1: the report's own figures (its period and scope as words), usable in any template's text; R8.3: the share of
the period's meeting reports produced from the IOC's data, in the report on the center's operation."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import EVERY_SCOPE, TERRITORY, Figure, FigureContext, Section, register_section
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
            Figure("report.period", _("Kỳ báo cáo"), "value", _period, EVERY_SCOPE),
            Figure("report.scope", _("Phạm vi báo cáo"), "value", _scope, EVERY_SCOPE),
        ),
        blocks=(),
        tags=frozenset(),
    )
)


def _meeting_share(ctx: FigureContext) -> str:
    from ioc.reporting.selectors import meeting_report_share

    share = meeting_report_share(period=ctx.period_code, start=ctx.start, end=ctx.end)
    if share.share is None:
        return str(_("không có báo cáo phục vụ họp"))
    return f"{share.from_ioc}/{share.total} ({number_format(share.share, use_l10n=True)} %)"


MEETING_SHARE = register_section(
    Section(
        code="reporting_share",
        title=_("Báo cáo phục vụ các cuộc họp"),
        order=95,
        figures=(
            Figure(
                "reporting.meeting_share",
                _("Báo cáo phục vụ họp lập từ dữ liệu IOC (số/tổng, tỷ lệ)"),
                "value",
                _meeting_share,
                TERRITORY,
            ),
        ),
        blocks=(
            {
                "text": "Báo cáo phục vụ các cuộc họp định kỳ, chuyên đề, đột xuất lập từ dữ liệu của Trung tâm trong "
                "kỳ: {{ reporting.meeting_share }} (yêu cầu 100 %)."
            },
        ),
        tags=frozenset({"operations"}),
        requirement="R8.3",
    )
)
