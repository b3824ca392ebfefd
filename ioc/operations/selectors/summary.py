"""R10.2–R10.4: the figures of running the center — for its hub, the operators' work queue and the report
section: staffing, coverage gaps, maintenance done and overdue, changes, faults, sheets awaiting approval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from ioc.operations.choices import CHANGE_WINDOW_STATES, ChangeState, FaultState, RosterState, SheetState, WorkPlace
from ioc.operations.models import (
    Asset,
    Change,
    Fault,
    MaintenancePlan,
    MaintenanceRecord,
    Posting,
    Roster,
)
from ioc.operations.selectors.allowances import sheet_list
from ioc.operations.selectors.rosters import roster_gaps
from ioc.worktime.selectors import LOCAL_TZ


@dataclass(frozen=True)
class Summary:
    at_center: int
    elsewhere: int
    sheets_waiting: int
    gaps: int
    overdue: list[MaintenancePlan]
    done_30_days: int
    changes_waiting: int
    changes_running: int
    faults_open: int
    assets: int


def staff_by_place(day: dt.date) -> dict[str, int]:
    current = Posting.objects.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    return {place: current.filter(work_place=place).values("staff_id").distinct().count() for place in WorkPlace.values}


def maintenance_overdue(*, on: dt.date) -> list[MaintenancePlan]:
    """R10.3: active plans past their due date, oldest first."""
    plans = MaintenancePlan.objects.filter(is_active=True, due_on__lt=on, asset__is_active=True)
    return list(plans.select_related("asset").order_by("due_on", "pk")[:50])


def operations_summary(*, user: Any, now: dt.datetime) -> Summary:
    """R10.2–R10.4: the center's figures at `now` (a dozen small queries)."""
    day = now.astimezone(LOCAL_TZ).date()
    places = staff_by_place(day)
    roster = Roster.objects.filter(month=day.replace(day=1)).exclude(state=RosterState.PUBLISHED).first()
    running = Change.objects.filter(state__in=CHANGE_WINDOW_STATES, window_start__lte=now, window_end__gt=now)
    return Summary(
        at_center=places[WorkPlace.CENTER],
        elsewhere=places[WorkPlace.ELSEWHERE],
        sheets_waiting=sheet_list(user=user).filter(state=SheetState.DRAFT).count(),
        gaps=len(roster_gaps(roster=roster)) if roster is not None else 0,
        overdue=maintenance_overdue(on=day),
        done_30_days=MaintenanceRecord.objects.filter(done_on__gt=day - dt.timedelta(days=30)).count(),
        changes_waiting=Change.objects.filter(state=ChangeState.REQUESTED).count(),
        changes_running=running.count(),
        faults_open=Fault.objects.filter(state=FaultState.OPEN).count(),
        assets=Asset.objects.filter(is_active=True).count(),
    )
