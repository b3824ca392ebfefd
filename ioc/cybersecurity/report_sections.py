"""R8.1, R5.6: the information-security watch in the reports (registered with `ioc.common.report_sections`): assets
watched, their uptime over the period, failed checks, security events received, incidents of the watch's kinds,
the malware reports of the period's months per agency, vulnerabilities fixed and fixed on time; for the territory."""

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


def incidents(ctx: FigureContext) -> int:
    return selectors.cyber_incidents(user=ctx.user, start=ctx.start, end=ctx.end)


def infected(ctx: FigureContext) -> int:
    return sum(row[1] for row in selectors.malware_in_period(user=ctx.user, start=ctx.start, end=ctx.end))


def malware_table(ctx: FigureContext) -> Table:
    return Table(
        columns=(_("Cơ quan, đơn vị"), _("Máy nhiễm mã độc"), _("Đã xử lý"), _("Chưa được bảo vệ")),
        rows=selectors.malware_in_period(user=ctx.user, start=ctx.start, end=ctx.end),
    )


def vulnerabilities_fixed(ctx: FigureContext) -> int:
    return selectors.vulnerabilities_fixed(user=ctx.user, start=ctx.start, end=ctx.end)["fixed"]


def vulnerabilities_on_time(ctx: FigureContext) -> float | None:
    """The share of the period's fixes made by their deadline (None: nothing fixed)."""
    fixed = selectors.vulnerabilities_fixed(user=ctx.user, start=ctx.start, end=ctx.end)
    return round(100.0 * fixed["on_time"] / fixed["fixed"], 1) if fixed["fixed"] else None


FIGURES = (
    Figure("cybersecurity.assets", _("Tài sản được giám sát"), "value", assets_watched, TERRITORY),
    Figure("cybersecurity.uptime", _("Thời gian hoạt động trung bình (%)"), "value", mean_uptime, TERRITORY),
    Figure("cybersecurity.events", _("Sự kiện an toàn thông tin"), "value", events, TERRITORY),
    Figure("cybersecurity.uptime_table", _("Thời gian hoạt động theo tài sản"), "table", uptime_table, TERRITORY),
    Figure("cybersecurity.incidents", _("Sự cố an toàn thông tin"), "value", incidents, TERRITORY),
    Figure("cybersecurity.infected", _("Máy nhiễm mã độc được báo cáo"), "value", infected, TERRITORY),
    Figure("cybersecurity.malware_table", _("Tình hình mã độc theo cơ quan"), "table", malware_table, TERRITORY),
    Figure("cybersecurity.vulns_fixed", _("Tài sản đã khắc phục lỗ hổng"), "value", vulnerabilities_fixed, TERRITORY),
    Figure(
        "cybersecurity.vulns_on_time",
        _("Tỷ lệ khắc phục lỗ hổng đúng hạn (%)"),
        "value",
        vulnerabilities_on_time,
        TERRITORY,
    ),
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
                "{{ cybersecurity.events }} sự kiện an toàn thông tin; {{ cybersecurity.incidents }} sự cố an toàn "
                "thông tin được xử lý. Các cơ quan báo cáo {{ cybersecurity.infected }} máy nhiễm mã độc; "
                "{{ cybersecurity.vulns_fixed }} tài sản đã khắc phục lỗ hổng, "
                "{{ cybersecurity.vulns_on_time }}% đúng hạn."
            },
            {"table": "cybersecurity.uptime_table"},
            {"table": "cybersecurity.malware_table"},
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R5.6",
    )
)
