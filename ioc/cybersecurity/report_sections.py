"""R8.1, R5.6: the information-security watch in the reports (registered with `ioc.common.report_sections`): assets
watched, their uptime over the period, failed checks and security events received; for the territory."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import TERRITORY, Figure, FigureContext, Section, Table, register_section
from ioc.cybersecurity import selectors


def assets_watched(ctx: FigureContext) -> int:
    return len(selectors.uptime_rows(user=ctx.user, start=ctx.start, end=ctx.end))


def mean_uptime(ctx: FigureContext) -> float | None:
    values = [r[2] for r in selectors.uptime_rows(user=ctx.user, start=ctx.start, end=ctx.end) if r[2] is not None]
    return round(sum(values) / len(values), 2) if values else None


def events(ctx: FigureContext) -> int:
    return selectors.events_in_period(user=ctx.user, start=ctx.start, end=ctx.end)


def uptime_table(ctx: FigureContext) -> Table:
    rows = selectors.uptime_rows(user=ctx.user, start=ctx.start, end=ctx.end)
    return Table(
        columns=(_("Tài sản"), _("Cơ quan, đơn vị"), _("Thời gian hoạt động (%)"), _("Lần kiểm tra lỗi")),
        rows=[[name, agency, round(up, 2) if up is not None else None, failed] for name, agency, up, failed in rows],
    )


FIGURES = (
    Figure("cybersecurity.assets", _("Tài sản được giám sát"), "value", assets_watched, TERRITORY),
    Figure("cybersecurity.uptime", _("Thời gian hoạt động trung bình (%)"), "value", mean_uptime, TERRITORY),
    Figure("cybersecurity.events", _("Sự kiện an toàn thông tin"), "value", events, TERRITORY),
    Figure("cybersecurity.uptime_table", _("Thời gian hoạt động theo tài sản"), "table", uptime_table, TERRITORY),
)

SECTION = register_section(
    Section(
        code="cybersecurity",
        title=_("An toàn thông tin"),
        order=45,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, IOC giám sát {{ cybersecurity.assets }} cổng, trang thông tin, dịch vụ và hệ "
                "thống; thời gian hoạt động trung bình {{ cybersecurity.uptime }}%; tiếp nhận "
                "{{ cybersecurity.events }} sự kiện an toàn thông tin."
            },
            {"table": "cybersecurity.uptime_table"},
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R5.6",
    )
)
