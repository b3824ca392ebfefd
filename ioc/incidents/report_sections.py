"""R8.1, R4.3–R4.5: incidents and alerts in the reports, registered with `ioc.common.report_sections`.

The figures are the answers of the KPI selectors (`selectors.kpi`: counts, mean times, on-time rate of the agencies'
parts) and of the scoped alerts for the report's period; they cover the territory (the KPIs are not split by
agency or commune, so a report of one agency or commune leaves this section out). A report for an area of the map
(issue 17) gets the `area_*` figures: the map hook `incidents_counts_in_area` for its period.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import AREA, TERRITORY, Figure, FigureContext, Section, Table, register_section
from ioc.incidents.choices import KIND_CHOICES, AlertSource, IncidentState
from ioc.incidents.selectors._base import scoped_alerts
from ioc.incidents.selectors.kpi import incidents_counts, incidents_on_time, incidents_times
from ioc.incidents.selectors.maps import incidents_counts_in_area


def _counts(name: str) -> Any:
    return lambda ctx: incidents_counts(user=ctx.user, start=ctx.start, end=ctx.end)[name]


def _times(name: str) -> Any:
    return lambda ctx: incidents_times(user=ctx.user, start=ctx.start, end=ctx.end)[name]


def alerts_received(ctx: FigureContext) -> int:
    """Alerts first seen in the period, in the user's scope."""
    return scoped_alerts(ctx.user).filter(first_seen_at__gte=ctx.start, first_seen_at__lt=ctx.end).count()


def _kind_label(code: str) -> str:
    return str(dict(KIND_CHOICES).get(code, code))


def by_kind(ctx: FigureContext) -> Table:
    counts = incidents_counts(user=ctx.user, start=ctx.start, end=ctx.end)
    rows = sorted(counts["by_kind"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Loại sự cố"), _("Số sự cố")),
        rows=[[_kind_label(kind), n] for kind, n in rows],
        totals=[str(_("Tổng cộng")), counts["total"]],
    )


def alerts_by_source(ctx: FigureContext) -> Table:
    qs = scoped_alerts(ctx.user).filter(first_seen_at__gte=ctx.start, first_seen_at__lt=ctx.end).order_by()
    rows = sorted(qs.values_list("source").annotate(n=Count("pk")), key=lambda r: (-r[1], r[0]))
    labels = dict(AlertSource.choices)
    return Table(columns=(_("Nguồn cảnh báo"), _("Số cảnh báo")), rows=[[str(labels.get(s, s)), n] for s, n in rows])


def on_time(ctx: FigureContext) -> Table:
    rows = incidents_on_time(user=ctx.user, start=ctx.start, end=ctx.end, now=ctx.now)
    return Table(
        columns=(_("Cơ quan, đơn vị"), _("Loại sự cố"), _("Phần việc"), _("Đúng hạn")),
        rows=[[row.agency, _kind_label(row.kind), row.total, row.on_time] for row in rows],
    )


def in_area(ctx: FigureContext) -> dict[str, Any]:
    """Issue 17: the map hook's answer for the report's area and period (incidents raised in the period with a
    point in the area, in the user's scope)."""
    return incidents_counts_in_area(user=ctx.user, area=ctx.scope.area, start=ctx.start, end=ctx.end)


def _area_count(name: str) -> Any:
    return lambda ctx: in_area(ctx)[name]


def _area_by_state(ctx: FigureContext) -> Table:
    counts = in_area(ctx)
    labels = dict(IncidentState.choices)
    rows = sorted(counts["by_state"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Trạng thái"), _("Số sự cố")),
        rows=[[str(labels.get(state, state)), n] for state, n in rows],
        totals=[str(_("Tổng cộng")), counts["total"]],
    )


FIGURES = (
    Figure("incidents.total", _("Sự cố phát sinh"), "value", _counts("total"), TERRITORY),
    Figure("incidents.open", _("Sự cố còn mở"), "value", _counts("open"), TERRITORY),
    Figure("incidents.severe", _("Sự cố nghiêm trọng"), "value", _counts("severe"), TERRITORY),
    Figure("incidents.minutes_to_verify", _("Thời gian xác minh (phút)"), "value", _times("to_verify"), TERRITORY),
    Figure("incidents.minutes_to_resolve", _("Thời gian xử lý (phút)"), "value", _times("to_resolve"), TERRITORY),
    Figure("incidents.alerts", _("Cảnh báo nhận được"), "value", alerts_received, TERRITORY),
    Figure("incidents.by_kind", _("Sự cố theo loại"), "table", by_kind, TERRITORY),
    Figure("incidents.alerts_by_source", _("Cảnh báo theo nguồn"), "table", alerts_by_source, TERRITORY),
    Figure("incidents.on_time", _("Xử lý sự cố đúng hạn theo cơ quan"), "table", on_time, TERRITORY),
    Figure("incidents.area_total", _("Sự cố phát sinh trong vùng"), "value", _area_count("total"), AREA),
    Figure("incidents.area_open", _("Sự cố trong vùng còn mở"), "value", _area_count("open"), AREA),
    Figure("incidents.area_by_state", _("Sự cố trong vùng theo trạng thái"), "table", _area_by_state, AREA),
)

SECTION = register_section(
    Section(
        code="incidents",
        title=_("Sự cố và cảnh báo"),
        order=40,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, hệ thống nhận {{ incidents.alerts }} cảnh báo; {{ incidents.total }} sự cố phát "
                "sinh, trong đó {{ incidents.severe }} sự cố nghiêm trọng, {{ incidents.open }} sự cố còn đang xử "
                "lý. Thời gian xác minh trung bình {{ incidents.minutes_to_verify }} phút, thời gian xử lý trung "
                "bình {{ incidents.minutes_to_resolve }} phút."
            },
            {"table": "incidents.alerts_by_source"},
            {"table": "incidents.by_kind"},
            {"table": "incidents.on_time"},
            {
                "text": "Trong kỳ, {{ incidents.area_total }} sự cố phát sinh có vị trí trong vùng đã chọn; "
                "{{ incidents.area_open }} sự cố còn đang xử lý."
            },
            {"table": "incidents.area_by_state"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R8.1, R4.3",
    )
)
