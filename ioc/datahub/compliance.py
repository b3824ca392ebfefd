"""Reads of the data hub's obligations (R1.3): each obligation's due instants with their state, what an agency
owes, the compliance board ranking agencies by on-time rate, and the overdue ones for the IOC's work queue.
Re-exported by `ioc.datahub.selectors`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ioc.accounts.selectors import user_scope
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.common.workitems import OVERDUE, WorkItem
from ioc.datahub.cadence import DAYS_OFF_MAX, SPAN_DAYS, Due, Rule, obligation_dues, rule_weekdays
from ioc.datahub.choices import STORED_STATUSES, DueState
from ioc.datahub.models import Obligation, Submission
from ioc.regulation.selectors import template_cadence
from ioc.worktime.selectors import LOCAL_TZ, WorkCalendar, calendar_for

BOARD_DAYS = 28
OWED_PAST_DAYS = 14
OWED_NEXT_DAYS = 14
WORK_ITEM_DAYS = 7
WORK_ITEMS_MAX = 20


@dataclass
class ObligationStatus:
    """R1.3: one obligation and its judged due instants in a range."""

    obligation: Obligation
    dues: list[Due]

    def count(self, state: str) -> int:
        return sum(1 for due in self.dues if due.state == state)

    @property
    def next_due(self) -> Due | None:
        return next((due for due in self.dues if due.state == DueState.UPCOMING), None)


@dataclass
class AgencyCompliance:
    """R1.3: an agency's dues that have passed in the board's range, by state, and its on-time rate."""

    agency_id: int
    agency_name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(self.counts.get(state, 0) for state in (DueState.ON_TIME, DueState.LATE, DueState.MISSING))

    @property
    def on_time_rate(self) -> float | None:
        return self.counts.get(DueState.ON_TIME, 0) / self.passed if self.passed else None


class Calendars:
    """The agencies' working calendars and the profile's template cadence, read once for many obligations."""

    def __init__(self) -> None:
        self._calendars: dict[int, WorkCalendar] = {}
        self.cadence: list[int] = template_cadence()

    def of(self, obligation: Obligation) -> WorkCalendar:
        if obligation.agency_id not in self._calendars:
            self._calendars[obligation.agency_id] = calendar_for(agency=obligation.agency)
        return self._calendars[obligation.agency_id]


def obligation_rule(obligation: Obligation, cadence: Sequence[int]) -> Rule:
    return Rule(
        frequency=obligation.frequency,
        weekdays=rule_weekdays(obligation.frequency, obligation.weekdays, cadence),
        day=obligation.day,
        month=obligation.month,
        due_time=obligation.due_time,
    )


def _received(obligation: Obligation, since: dt.date) -> list[dt.datetime]:
    start = dt.datetime.combine(since, dt.time.min, tzinfo=LOCAL_TZ)
    rows = Submission.objects.filter(
        dataset_id=obligation.dataset_id,
        agency_id=obligation.agency_id,
        status__in=STORED_STATUSES,
        received_at__gte=start,
    )
    return list(rows.values_list("received_at", flat=True))


def obligation_status(
    *,
    obligation: Obligation,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
    calendars: Calendars | None = None,
) -> ObligationStatus:
    """R1.3: the obligation's due instants whose day lies in [start, end], each on time, late, missing or upcoming
    against the agency's accepted submissions (holidays move a due day to the next working day); none before the
    obligation's `starts_on`."""
    calendars = calendars or Calendars()
    start = max(start, obligation.starts_on)
    if start > end:
        return ObligationStatus(obligation, [])
    rule = obligation_rule(obligation, calendars.cadence)
    span = dt.timedelta(days=2 * (SPAN_DAYS.get(rule.frequency, 32) + DAYS_OFF_MAX))
    dues = obligation_dues(
        rule,
        start=start,
        end=end,
        calendar=calendars.of(obligation),
        received=_received(obligation, start - span),
        now=now or timezone.now(),
    )
    return ObligationStatus(obligation, dues)


def obligation_list(*, user: Any, active_only: bool = True) -> QuerySet[Obligation]:
    """R1.3: the obligations a user may see: all for the territory roles, else those of the user's agencies."""
    scope = user_scope(user=user)
    rows = Obligation.objects.select_related("dataset", "agency")
    if active_only:
        rows = rows.filter(is_active=True)
    return rows if scope.everything else rows.filter(agency_id__in=scope.agency_ids)


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL_TZ).date()


def statuses(
    obligations: Iterable[Obligation], *, start: dt.date, end: dt.date, now: dt.datetime
) -> list[ObligationStatus]:
    calendars = Calendars()
    return [
        obligation_status(obligation=row, start=start, end=end, now=now, calendars=calendars) for row in obligations
    ]


def obligations_owed(*, user: Any, now: dt.datetime | None = None) -> list[ObligationStatus]:
    """R1.3: "what I owe": the user's obligations with their dues of the last and next two weeks."""
    now = now or timezone.now()
    today = _today(now)
    start, end = today - dt.timedelta(days=OWED_PAST_DAYS), today + dt.timedelta(days=OWED_NEXT_DAYS)
    return statuses(obligation_list(user=user), start=start, end=end, now=now)


def compliance_board(*, user: Any, now: dt.datetime | None = None, days: int = BOARD_DAYS) -> list[AgencyCompliance]:
    """R1.3: agencies ranked by on-time rate over the dues of the last `days` days (best first; agencies with no
    passed due last), with their on-time, late and missing counts."""
    now = now or timezone.now()
    today = _today(now)
    board: dict[int, AgencyCompliance] = {}
    for status in statuses(obligation_list(user=user), start=today - dt.timedelta(days=days), end=today, now=now):
        agency = status.obligation.agency
        entry = board.setdefault(agency.pk, AgencyCompliance(agency.pk, agency.name))
        for due in status.dues:
            entry.counts[due.state] = entry.counts.get(due.state, 0) + 1
    return sorted(
        board.values(),
        key=lambda row: (row.on_time_rate is None, -(row.on_time_rate or 0), -row.passed, row.agency_name),
    )


def datasets_on_time(
    *, dataset_ids: Sequence[int], now: dt.datetime | None = None, days: int = BOARD_DAYS
) -> dict[int, float | None]:
    """R1.4 "sống": per dataset, the share (%) of its active obligations' dues of the last `days` days that were
    answered on time (None without a passed due). One query when no obligation applies; else two for all the
    datasets, the template cadence, and each obligated agency's calendar once."""
    now = now or timezone.now()
    today = _today(now)
    start = today - dt.timedelta(days=days)
    rows = list(
        Obligation.objects.filter(dataset_id__in=dataset_ids, is_active=True).select_related("agency").order_by()
    )
    if not rows:
        return {}
    earliest = start - dt.timedelta(days=2 * (max(SPAN_DAYS.values()) + DAYS_OFF_MAX))
    received: dict[tuple[int, int], list[dt.datetime]] = {}
    for dataset_id, agency_id, at in (
        Submission.objects.filter(
            dataset_id__in=dataset_ids,
            status__in=STORED_STATUSES,
            received_at__gte=dt.datetime.combine(earliest, dt.time.min, tzinfo=LOCAL_TZ),
        )
        .values_list("dataset_id", "agency_id", "received_at")
        .order_by()
    ):
        received.setdefault((dataset_id, agency_id), []).append(at)
    calendars = Calendars()
    counts: dict[int, list[int]] = {}
    for row in rows:
        first = max(start, row.starts_on)
        if first > today:
            continue
        dues = obligation_dues(
            obligation_rule(row, calendars.cadence),
            start=first,
            end=today,
            calendar=calendars.of(row),
            received=received.get((row.dataset_id, row.agency_id), []),
            now=now,
        )
        passed = [due for due in dues if due.state != DueState.UPCOMING]
        tally = counts.setdefault(row.dataset_id, [0, 0])
        tally[0] += sum(1 for due in passed if due.state == DueState.ON_TIME)
        tally[1] += len(passed)
    return {pk: round(100.0 * on / total, 1) if total else None for pk, (on, total) in counts.items()}


def _remind_item(row: Obligation, due: Due, label: Any, url: str) -> WorkItem:
    """An owed submission as an overdue work item (its due instant is both its start and its deadline)."""
    return WorkItem(
        source="datahub",
        kind="remind",
        title=f"{label}: {row.dataset.name} — {row.agency.name}",
        url=url,
        at=due.at,
        due_at=due.at,
        state=OVERDUE,
        severity=2,
        code=row.dataset.code,
        object_id=row.pk,
        agency_id=row.agency_id,
        agency=row.agency.name,
    )


def datahub_work_items(*, user: Any) -> list[WorkItem]:
    """R1.3, DESIGN "Map hooks": for the IOC, the obligations whose due instant of the last week passed with
    nothing received (oldest first), to chase ("đôn đốc") the agency."""
    if not actor_has_role(user, IOC_STAFF_ROLES):
        return []
    now = timezone.now()
    today = _today(now)
    label = gettext_lazy("Đôn đốc gửi dữ liệu")
    url = reverse("datahub:compliance")
    items: list[WorkItem] = []
    for status in statuses(
        obligation_list(user=user), start=today - dt.timedelta(days=WORK_ITEM_DAYS), end=today, now=now
    ):
        row = status.obligation
        for due in status.dues:
            if due.is_overdue:
                items.append(_remind_item(row, due, label, url))
    items.sort(key=lambda item: item.due_at or now)
    return items[:WORK_ITEMS_MAX]
