"""R8.1: the agencies' work ("giao việc") in the reports, registered with `ioc.common.report_sections`.

The parts of work forwarded to agencies in the report's period, in the user's scope (`scope_filter`), narrowed to
the report's agency or commune, counted by agency: forwarded, returned, resolved, resolved by the deadline, and
late (resolved after the deadline, or still open past it at the report's clock).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.accounts.selectors import scope_filter, user_scope
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment
from ioc.common.report_sections import Figure, FigureContext, Section, Table, register_section

COLUMNS = (_("Cơ quan, đơn vị"), _("Được giao"), _("Trả lại"), _("Đã xử lý"), _("Đúng hạn"), _("Trễ hạn"))
_NOT_COUNTED = (AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED)


def period_parts(ctx: FigureContext) -> QuerySet[Assignment]:
    """The parts forwarded in the period that the user may see, within the report's scope."""
    qs = scope_filter(
        Assignment.objects.filter(forwarded_at__gte=ctx.start, forwarded_at__lt=ctx.end),
        scope=user_scope(user=ctx.user),
        agency_field="agency",
        unit_field="unit",
    )
    if ctx.scope.kind == "agency":
        qs = qs.filter(agency_id=ctx.scope.agency_id or 0)
    elif ctx.scope.kind == "commune":
        qs = qs.filter(unit_id=ctx.scope.unit_id)
    return qs.order_by()


def tally(ctx: FigureContext) -> dict[str, list[int]]:
    """Agency name → [forwarded, returned, resolved, on time, late]."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    rows = period_parts(ctx).values_list("agency__name", "status", "resolved_at", "deadline_at")
    for agency, status, resolved, deadline in rows:
        cell = counts[agency]
        cell[0] += 1
        if status in _NOT_COUNTED:
            cell[1] += status == AssignmentStatus.RETURNED
            continue
        cell[2] += resolved is not None
        cell[3] += resolved is not None and resolved <= deadline
        cell[4] += (resolved is not None and resolved > deadline) or (resolved is None and deadline < ctx.now)
    return dict(counts)


def _total(index: int) -> Any:
    return lambda ctx: sum(row[index] for row in tally(ctx).values())


def _table(ctx: FigureContext) -> Table:
    counts = tally(ctx)
    rows = [[agency, *values] for agency, values in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    totals = [str(_("Tổng cộng")), *(sum(r[i] for r in counts.values()) for i in range(5))]
    return Table(columns=COLUMNS, rows=rows, totals=totals)


FIGURES = (
    Figure("assignments.forwarded", _("Việc đã giao cơ quan"), "value", _total(0)),
    Figure("assignments.returned", _("Việc bị trả lại"), "value", _total(1)),
    Figure("assignments.resolved", _("Việc đã xử lý"), "value", _total(2)),
    Figure("assignments.on_time", _("Việc xử lý đúng hạn"), "value", _total(3)),
    Figure("assignments.late", _("Việc trễ hạn"), "value", _total(4)),
    Figure("assignments.by_agency", _("Giao việc theo cơ quan"), "table", _table),
)

SECTION = register_section(
    Section(
        code="assignments",
        title=_("Phối hợp xử lý của các cơ quan, đơn vị"),
        order=30,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trung tâm đã chuyển {{ assignments.forwarded }} việc đến các cơ quan, đơn vị; "
                "{{ assignments.resolved }} việc đã xử lý, {{ assignments.on_time }} việc đúng hạn, "
                "{{ assignments.late }} việc trễ hạn, {{ assignments.returned }} việc bị trả lại."
            },
            {"table": "assignments.by_agency"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R8.1, R3.3",
    )
)
