"""R8.1, R4.3–R4.5: incidents and alerts in the reports, registered with `ioc.common.report_sections`.

The figures are the answers of the KPI selectors (`selectors.kpi`: counts, mean times, on-time rate of the agencies'
parts; `alerts_counts`) for the report's period and scope. Issue 17: a report of one agency counts the incidents
that agency holds a part of (its assignments) and its own parts' on-time rate; a report of one commune counts the
incidents and alerts whose commune it is. Alerts belong to no agency: an agency's report leaves the alert figures
out. A report for an area of the map gets the `area_*` figures: the map hook `incidents_counts_in_area` for its
period. Each selector runs once per report (`figure_memo`), however many figures read it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import (
    ALL_SCOPES,
    AREA,
    Figure,
    FigureContext,
    Section,
    Table,
    area_counts,
    area_figure,
    figure_memo,
    register_section,
)
from ioc.incidents.choices import KIND_CHOICES, AlertSource, IncidentState
from ioc.incidents.selectors.kpi import alerts_counts, incidents_counts, incidents_on_time, incidents_times
from ioc.incidents.selectors.maps import incidents_counts_in_area

HOOK = incidents_counts_in_area  # the map hook of the `area_*` figures
# Alerts are counted for the territory or one commune (they carry a commune, not an agency).
ALERT_SCOPES = frozenset({"territory", "commune"})


def narrowing(ctx: FigureContext) -> dict[str, int]:
    """The selectors' narrowing for the report's scope: `agency_id` for an agency's report, `unit_id` for a
    commune's, nothing for the territory."""
    if ctx.scope.kind == "agency" and ctx.scope.agency_id is not None:
        return {"agency_id": ctx.scope.agency_id}
    if ctx.scope.kind == "commune" and ctx.scope.unit_id is not None:
        return {"unit_id": ctx.scope.unit_id}
    return {}


def counts(ctx: FigureContext) -> dict[str, Any]:
    """`incidents_counts` for the report's period and scope (once per report)."""
    return figure_memo(
        ctx,
        (incidents_counts,),
        lambda: incidents_counts(user=ctx.user, start=ctx.start, end=ctx.end, **narrowing(ctx)),
    )


def times(ctx: FigureContext) -> dict[str, float | None]:
    """`incidents_times` for the report's period and scope (once per report)."""
    return figure_memo(
        ctx,
        (incidents_times,),
        lambda: incidents_times(user=ctx.user, start=ctx.start, end=ctx.end, **narrowing(ctx)),
    )


def alerts(ctx: FigureContext) -> dict[str, Any]:
    """`alerts_counts` for the report's period, and its commune for a commune's report (once per report)."""
    return figure_memo(
        ctx,
        (alerts_counts,),
        lambda: alerts_counts(user=ctx.user, start=ctx.start, end=ctx.end, unit_id=narrowing(ctx).get("unit_id")),
    )


def _counts(name: str) -> Any:
    return lambda ctx: counts(ctx)[name]


def _times(name: str) -> Any:
    return lambda ctx: times(ctx)[name]


def alerts_received(ctx: FigureContext) -> int:
    """Alerts first seen in the period, in the user's scope (and the report's commune)."""
    return int(alerts(ctx)["total"])


def _kind_label(code: str) -> str:
    return str(dict(KIND_CHOICES).get(code, code))


def by_kind(ctx: FigureContext) -> Table:
    answer = counts(ctx)
    rows = sorted(answer["by_kind"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Loại sự cố"), _("Số sự cố")),
        rows=[[_kind_label(kind), n] for kind, n in rows],
        totals=[str(_("Tổng cộng")), answer["total"]],
    )


def alerts_by_source(ctx: FigureContext) -> Table:
    rows = sorted(alerts(ctx)["by_source"].items(), key=lambda r: (-r[1], r[0]))
    labels = dict(AlertSource.choices)
    return Table(columns=(_("Nguồn cảnh báo"), _("Số cảnh báo")), rows=[[str(labels.get(s, s)), n] for s, n in rows])


def on_time(ctx: FigureContext) -> Table:
    rows = incidents_on_time(user=ctx.user, start=ctx.start, end=ctx.end, now=ctx.now, **narrowing(ctx))
    return Table(
        columns=(_("Cơ quan, đơn vị"), _("Loại sự cố"), _("Phần việc"), _("Đúng hạn")),
        rows=[[row.agency, _kind_label(row.kind), row.total, row.on_time] for row in rows],
    )


def _area_by_state(ctx: FigureContext) -> Table:
    answer = area_counts(ctx, HOOK)
    labels = dict(IncidentState.choices)
    rows = sorted(answer["by_state"].items(), key=lambda kv: (-kv[1], kv[0]))
    return Table(
        columns=(_("Trạng thái"), _("Số sự cố")),
        rows=[[str(labels.get(state, state)), n] for state, n in rows],
        totals=[str(_("Tổng cộng")), answer["total"]],
    )


FIGURES = (
    Figure("incidents.total", _("Sự cố phát sinh"), "value", _counts("total"), ALL_SCOPES),
    Figure("incidents.open", _("Sự cố còn mở"), "value", _counts("open"), ALL_SCOPES),
    Figure("incidents.severe", _("Sự cố nghiêm trọng"), "value", _counts("severe"), ALL_SCOPES),
    Figure("incidents.minutes_to_verify", _("Thời gian xác minh (phút)"), "value", _times("to_verify"), ALL_SCOPES),
    Figure("incidents.minutes_to_resolve", _("Thời gian xử lý (phút)"), "value", _times("to_resolve"), ALL_SCOPES),
    Figure("incidents.alerts", _("Cảnh báo nhận được"), "value", alerts_received, ALERT_SCOPES),
    Figure("incidents.by_kind", _("Sự cố theo loại"), "table", by_kind, ALL_SCOPES),
    Figure("incidents.alerts_by_source", _("Cảnh báo theo nguồn"), "table", alerts_by_source, ALERT_SCOPES),
    Figure("incidents.on_time", _("Xử lý sự cố đúng hạn theo cơ quan"), "table", on_time, ALL_SCOPES),
    Figure(
        "incidents.area_total",
        _("Sự cố phát sinh trong vùng"),
        "value",
        area_figure(HOOK, "total"),
        AREA,
    ),
    Figure(
        "incidents.area_open",
        _("Sự cố trong vùng còn mở"),
        "value",
        area_figure(incidents_counts_in_area, "open"),
        AREA,
    ),
    Figure("incidents.area_by_state", _("Sự cố trong vùng theo trạng thái"), "table", _area_by_state, AREA),
)

SECTION = register_section(
    Section(
        code="incidents",
        title=_("Sự cố và cảnh báo"),
        order=40,
        figures=FIGURES,
        blocks=(
            # The alerts have their own sentence: an agency's report (no alert figures) keeps the incidents' one.
            {"text": "Trong kỳ, hệ thống nhận {{ incidents.alerts }} cảnh báo."},
            {
                "text": "Trong kỳ, {{ incidents.total }} sự cố phát sinh, trong đó {{ incidents.severe }} sự cố "
                "nghiêm trọng, {{ incidents.open }} sự cố còn đang xử lý. Thời gian xác minh trung bình "
                "{{ incidents.minutes_to_verify }} phút, thời gian xử lý trung bình "
                "{{ incidents.minutes_to_resolve }} phút."
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
