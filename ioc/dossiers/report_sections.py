"""R8.1, R5.3: public administration dossiers in the reports, registered with `ioc.common.report_sections`:
dossiers received and finished in the period, the on-time rate (finished on time over finished), violations
found and their verification, agencies ranked, Decision 766's points per agency and month. Scoped by the
report's user (and its agency, for an agency report).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.common.periods import period_code
from ioc.common.report_sections import Figure, FigureContext, Section, Table, register_section
from ioc.dossiers import score766
from ioc.dossiers.models import Dossier, ServiceScore, Violation
from ioc.dossiers.rules import RULES
from ioc.worktime.selectors import LOCAL_TZ

SCOPES = frozenset({"territory", "agency"})


def _dossiers(ctx: FigureContext) -> QuerySet[Dossier]:
    qs = scope_filter(Dossier.objects.all(), scope=user_scope(user=ctx.user), agency_field="agency_id")
    return qs.filter(agency_id=ctx.scope.agency_id) if ctx.scope.agency_id else qs


def received(ctx: FigureContext) -> int:
    return _dossiers(ctx).filter(received_at__gte=ctx.start, received_at__lt=ctx.end).count()


def _finished(ctx: FigureContext) -> QuerySet[Dossier]:
    return _dossiers(ctx).filter(finished_at__gte=ctx.start, finished_at__lt=ctx.end)


def finished(ctx: FigureContext) -> int:
    return _finished(ctx).count()


def on_time_rate(ctx: FigureContext) -> float | None:
    """Finished on time over finished in the period, in % (None without any)."""
    counts = _finished(ctx).aggregate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
    return round(100 * (counts["total"] - counts["late"]) / counts["total"], 1) if counts["total"] else None


def _violations(ctx: FigureContext) -> QuerySet[Violation]:
    qs = Violation.objects.filter(dossier__in=_dossiers(ctx), detected_at__gte=ctx.start, detected_at__lt=ctx.end)
    return qs.exclude(state="withdrawn")


def violations_found(ctx: FigureContext) -> int:
    return _violations(ctx).count()


def violations_by_rule(ctx: FigureContext) -> Table:
    rows = dict(_violations(ctx).order_by().values_list("rule").annotate(n=Count("pk")).values_list("rule", "n"))
    confirmed = dict(
        _violations(ctx)
        .filter(state__in=("confirmed", "handled"))
        .order_by()
        .values_list("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    return Table(
        columns=(_("Vi phạm"), _("Căn cứ"), _("Phát hiện"), _("IOC xác nhận")),
        rows=[[str(r.label), r.basis, rows.get(r.code, 0), confirmed.get(r.code, 0)] for r in RULES if r.code in rows],
    )


def agencies_on_time(ctx: FigureContext) -> Table:
    rows = (
        _finished(ctx)
        .values("agency__name")
        .annotate(total=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        .order_by("agency__name")
    )
    return Table(
        columns=(_("Cơ quan"), _("Có kết quả"), _("Quá hạn"), _("Đúng hạn (%)")),
        rows=[
            [r["agency__name"], r["total"], r["late"], round(100 * (r["total"] - r["late"]) / r["total"], 1)]
            for r in rows
        ],
    )


def _months(ctx: FigureContext) -> list[str]:
    """The DHIS2 months the report's period covers."""
    months, day = [], ctx.start.astimezone(LOCAL_TZ).date().replace(day=1)
    while day < ctx.end.astimezone(LOCAL_TZ).date():
        months.append(period_code(day, "month"))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def scores_766(ctx: FigureContext) -> Table:
    """Decision 766's points of each agency for each month of the period (as last computed)."""
    qs = scope_filter(
        ServiceScore.objects.filter(scope=ServiceScore.Scope.AGENCY, period__in=_months(ctx)),
        scope=user_scope(user=ctx.user),
        agency_field="agency_id",
    )
    if ctx.scope.agency_id:
        qs = qs.filter(agency_id=ctx.scope.agency_id)
    rows = qs.select_related("agency").order_by("period", "-total")
    return Table(
        columns=(_("Cơ quan"), _("Tháng"), *(str(g.name) for g in score766.GROUPS), _("Tổng điểm")),
        rows=[
            [r.agency.name if r.agency else "", f"{r.period[4:]}/{r.period[:4]}"]
            + [r.groups.get(g.code) if r.groups.get(g.code) is not None else "—" for g in score766.GROUPS]
            + [float(r.total)]
            for r in rows
        ],
    )


FIGURES = (
    Figure("dossiers.received", _("Hồ sơ tiếp nhận"), "value", received, SCOPES),
    Figure("dossiers.finished", _("Hồ sơ có kết quả"), "value", finished, SCOPES),
    Figure("dossiers.on_time_rate", _("Tỷ lệ hồ sơ đúng hạn (%)"), "value", on_time_rate, SCOPES),
    Figure("dossiers.violations", _("Vi phạm phát hiện"), "value", violations_found, SCOPES),
    Figure("dossiers.violations_by_rule", _("Vi phạm theo loại"), "table", violations_by_rule, SCOPES),
    Figure("dossiers.agencies_on_time", _("Giải quyết hồ sơ đúng hạn theo cơ quan"), "table", agencies_on_time, SCOPES),
    Figure("dossiers.scores_766", _("Điểm Bộ chỉ số 766 theo cơ quan"), "table", scores_766, SCOPES),
)

SECTION = register_section(
    Section(
        code="dossiers",
        title=_("Giải quyết thủ tục hành chính"),
        order=55,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, tiếp nhận {{ dossiers.received }} hồ sơ; {{ dossiers.finished }} hồ sơ có kết quả, "
                "tỷ lệ đúng hạn {{ dossiers.on_time_rate }}%. Hệ thống phát hiện {{ dossiers.violations }} vi phạm "
                "trong quá trình giải quyết."
            },
            {"table": "dossiers.violations_by_rule"},
            {"table": "dossiers.agencies_on_time"},
            {"table": "dossiers.scores_766"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R8.1, R5.3",
    )
)
