"""R10.2–R10.4: the center's work in the operator's single queue (`operations_work_items`, found by
`ioc.common.workitems`) and its figures for the reports' section (`period_figures`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.common.workitems import OVERDUE, WorkFilter, WorkItem
from ioc.operations import permissions
from ioc.operations.choices import ChangeState, FaultState, SheetState
from ioc.operations.models import (
    AllowanceSheet,
    Change,
    DeploymentRecord,
    Fault,
    MaintenancePlan,
    MaintenanceRecord,
    Roster,
)
from ioc.operations.selectors.rosters import roster_gaps
from ioc.operations.selectors.summary import staff_by_place
from ioc.worktime.selectors import LOCAL_TZ

WORK_LIMIT = 20


def operations_work_items(*, user: Any, where: WorkFilter | None = None) -> list[WorkItem]:
    """R10.2–R10.4: overdue maintenance and open stopping faults for the IOC's staff; changes and sheets awaiting
    the managing body's approval for its members. An agency or commune filter keeps only agency-bound rows."""
    items: list[WorkItem] = []
    now = timezone.now()
    if actor_has_role(user, IOC_STAFF_ROLES):
        items += _overdue(now, where) + _faults(where)
    if permissions.is_managing_member(user) and not where:
        items += _approvals()
    return items


def _filtered(qs: Any, where: WorkFilter | None, agency: str) -> Any:
    if not where:
        return qs
    condition = where.q(agency=agency, commune=None)
    return qs.filter(condition) if condition is not None else qs.none()


def _overdue(now: dt.datetime, where: WorkFilter | None) -> list[WorkItem]:
    today = now.astimezone(LOCAL_TZ).date()
    plans = MaintenancePlan.objects.filter(is_active=True, due_on__lt=today, asset__is_active=True)
    plans = _filtered(plans, where, "asset__owner_agency_id").select_related("asset", "asset__owner_agency")
    return [
        WorkItem(
            source="operations",
            kind="maintenance",
            title=_("Bảo dưỡng quá hạn: %(asset)s — %(title)s") % {"asset": p.asset.name, "title": p.title},
            url=reverse("operations:asset_detail", kwargs={"pk": p.asset_id}),
            at=dt.datetime.combine(p.due_on, dt.time(0), LOCAL_TZ),
            due_at=dt.datetime.combine(p.due_on, dt.time(0), LOCAL_TZ),
            state=OVERDUE,
            code=f"BD-{p.pk}",
            object_id=p.pk,
            agency_id=p.asset.owner_agency_id,
            agency=p.asset.owner_agency.name,
        )
        for p in plans.order_by("due_on", "pk")[:WORK_LIMIT]
    ]


def _faults(where: WorkFilter | None) -> list[WorkItem]:
    faults = Fault.objects.filter(state=FaultState.OPEN, stops_operation=True)
    faults = _filtered(faults, where, "asset__owner_agency_id").select_related("asset", "asset__owner_agency")
    return [
        WorkItem(
            source="operations",
            kind="fault",
            title=_("Thiết bị ngừng hoạt động: %(asset)s") % {"asset": f.asset.name},
            url=reverse("operations:asset_detail", kwargs={"pk": f.asset_id}),
            at=f.reported_at,
            severity=4,
            code=f"SC-TB-{f.pk}",
            object_id=f.pk,
            agency_id=f.asset.owner_agency_id,
            agency=f.asset.owner_agency.name,
        )
        for f in faults.order_by("reported_at", "pk")[:WORK_LIMIT]
    ]


def _approvals() -> list[WorkItem]:
    changes = Change.objects.filter(state=ChangeState.REQUESTED).order_by("window_start", "pk")[:WORK_LIMIT]
    sheets = AllowanceSheet.objects.filter(state=SheetState.DRAFT).select_related("paying_agency")
    items = [
        WorkItem(
            source="operations",
            kind="approve",
            title=_("Phê duyệt thay đổi: %(title)s") % {"title": c.title},
            url=reverse("operations:change_detail", kwargs={"pk": c.pk}),
            at=c.requested_at,
            due_at=c.window_start,
            code=c.reference,
            object_id=c.pk,
        )
        for c in changes
    ]
    return items + [
        WorkItem(
            source="operations",
            kind="approve",
            title=_("Phê duyệt bảng hỗ trợ %(month)s — %(agency)s")
            % {"month": f"{s.month:%m/%Y}", "agency": s.paying_agency.name},
            url=reverse("operations:sheet_detail", kwargs={"pk": s.pk}),
            at=s.prepared_at,
            code=f"HT-{s.pk}",
            object_id=s.pk,
            agency_id=s.paying_agency_id,
            agency=s.paying_agency.name,
        )
        for s in sheets.order_by("month", "pk")[:WORK_LIMIT]
    ]


def period_figures(*, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """R8.1 (003:6.6): the center's figures of a period (half-open, aware)."""
    first, last = start.astimezone(LOCAL_TZ).date(), (end.astimezone(LOCAL_TZ) - dt.timedelta(seconds=1)).date()
    in_window = Q(done_on__gte=first, done_on__lte=last)
    places = staff_by_place(last)
    unapproved = DeploymentRecord.objects.filter(approved=False, seen_at__gte=start, seen_at__lt=end)
    faults = Fault.objects.filter(reported_at__gte=start, reported_at__lt=end)
    closed = Change.objects.filter(state=ChangeState.CLOSED, closed_at__gte=start, closed_at__lt=end)
    rosters = Roster.objects.filter(month__gte=first.replace(day=1), month__lte=last)
    return {
        "staff_center": places["center"],
        "staff_elsewhere": places["elsewhere"],
        "coverage_gaps": sum(len(roster_gaps(roster=roster)) for roster in rosters),
        "maintenance_done": MaintenanceRecord.objects.filter(in_window).count(),
        "maintenance_overdue": MaintenancePlan.objects.filter(is_active=True, due_on__lt=last).count(),
        "changes_closed": closed.count(),
        "changes_unapproved": unapproved.count(),
        "faults": faults.count(),
        "faults_stopping": faults.filter(stops_operation=True).count(),
    }
