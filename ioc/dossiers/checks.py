"""The checks at once (R5.3, act 004:6.4): a dossier's events judged against its procedure version and rules.

Pure: no database. `dossier_check` takes the version's shape, every event of the dossier (in any order: a late
event is placed by its time) and the agency's working calendar, and returns the derived figures (due time,
status, lateness, the next moment something falls due) and the findings, one per (rule, step). Calling it again
after any event re-judges the whole dossier, so findings that a late event disproves disappear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ioc.dossiers.choices import DossierStatus, EventKind
from ioc.worktime.selectors import WorkCalendar, deadline_add, working_hours_between

# Same instant: the receipt comes first, the closing events last.
_KIND_ORDER = {EventKind.RECEIPT: 0, EventKind.RESULT_RETURNED: 8, EventKind.RATING: 9}


@dataclass(frozen=True)
class StepShape:
    order: int
    code: str
    allotted_days: Decimal


@dataclass(frozen=True)
class VersionShape:
    limit_days: Decimal
    documents: tuple[str, ...]
    steps: tuple[StepShape, ...]
    stop_clock_on_supplement: bool = True


@dataclass(frozen=True)
class EventView:
    id: int
    kind: str
    occurred_at: dt.datetime
    step_code: str = ""
    account: str = ""
    assignee: str = ""
    reason: str = ""
    new_due_at: dt.datetime | None = None
    documents: tuple[str, ...] = ()
    rating: int | None = None
    digitised: bool = False


@dataclass(frozen=True)
class Finding:
    rule: str
    step_code: str
    occurred_at: dt.datetime
    event_ids: tuple[int, ...]
    detail: str = ""


@dataclass
class CheckResult:
    received_at: dt.datetime
    due_at: dt.datetime
    status: str = DossierStatus.RECEIVED
    current_step: str = ""
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    promised_at: dt.datetime | None = None
    is_late: bool = False
    digitised: bool = False
    intake_digitised: bool = False
    rating: int | None = None
    next_check_at: dt.datetime | None = None
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        self.findings.setdefault((finding.rule, finding.step_code), finding)


class _Clock:
    """Working-time arithmetic with the clock stopped while supplements are awaited (NĐ 61/2018, Điều 17)."""

    def __init__(self, calendar: WorkCalendar, pauses: list[tuple[dt.datetime, dt.datetime | None]]) -> None:
        self.calendar = calendar
        self.pauses = sorted(pauses, key=lambda p: p[0])

    def hours(self, days: Decimal) -> float:
        return float(days) * self.calendar.hours_per_day

    def due(self, start: dt.datetime, working_hours: float, now: dt.datetime) -> tuple[dt.datetime, bool]:
        """The due moment of `working_hours` from `start`, stopped pauses added; and whether a pause is open."""
        total = working_hours
        due = deadline_add(start=start, working_hours=total, calendar=self.calendar)
        paused = False
        for began, ended in self.pauses:
            if began < start or began >= due:
                continue
            paused = paused or ended is None
            end = ended if ended is not None else max(now, began)
            total += working_hours_between(start=began, end=end, calendar=self.calendar)
            due = deadline_add(start=start, working_hours=total, calendar=self.calendar)
        return due, paused


def _sorted(events: list[EventView]) -> list[EventView]:
    return sorted(events, key=lambda e: (e.occurred_at, _KIND_ORDER.get(EventKind(e.kind), 5), e.id))


def _pauses(events: list[EventView]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
    began: dt.datetime | None = None
    for event in events:
        if event.kind == EventKind.SUPPLEMENT_REQUEST and began is None:
            began = event.occurred_at
        elif event.kind == EventKind.SUPPLEMENT_RECEIVED and began is not None:
            pauses.append((began, event.occurred_at))
            began = None
    if began is not None:
        pauses.append((began, None))
    return pauses


class _Walk:
    """One pass over the events in time order, keeping the step machine's state."""

    def __init__(self, version: VersionShape, clock: _Clock, result: CheckResult, now: dt.datetime) -> None:
        self.version, self.clock, self.result, self.now = version, clock, result, now
        self.index = {step.code: i for i, step in enumerate(version.steps)}
        self.next_index = 0
        self.step_start = result.received_at
        self.done: set[str] = set()
        self.assignees: dict[str, str] = {}
        self.supplements: list[int] = []
        self.apologies: list[EventView] = []
        self.last_step_at: dt.datetime | None = None

    def receipt(self, event: EventView) -> None:
        self.result.intake_digitised = event.digitised
        missing = [doc for doc in self.version.documents if doc not in set(event.documents)]
        if missing:
            self.result.add(Finding("documents_missing", "", event.occurred_at, (event.id,), "; ".join(missing)[:400]))

    def transfer(self, event: EventView) -> None:
        self.result.status = DossierStatus.PROCESSING
        if event.step_code and event.assignee:
            self.assignees[event.step_code] = event.assignee

    def step_done(self, event: EventView) -> None:
        code, result = event.step_code, self.result
        result.status = DossierStatus.PROCESSING
        i = self.index[code]
        if code in self.done:
            result.add(Finding("step_out_of_order", code, event.occurred_at, (event.id,), "repeat"))
        elif i < self.next_index:
            result.findings.pop(("step_skipped", code), None)
            result.add(Finding("step_out_of_order", code, event.occurred_at, (event.id,)))
        for skipped in self.version.steps[self.next_index : i]:
            if skipped.code not in self.done:
                result.add(Finding("step_skipped", skipped.code, event.occurred_at, (event.id,)))
        step = self.version.steps[i]
        due, _paused = self.clock.due(self.step_start, self.clock.hours(step.allotted_days), self.now)
        if event.occurred_at > due and code not in self.done:
            result.add(Finding("step_late", code, event.occurred_at, (event.id,), due.isoformat()))
        assignee = self.assignees.get(code, "")
        if assignee and event.account and event.account != assignee:
            result.add(Finding("step_unassigned", code, event.occurred_at, (event.id,), event.account[:150]))
        self.done.add(code)
        self.step_start = event.occurred_at
        self.next_index = max(self.next_index, i + 1)
        if all(s.code in self.done for s in self.version.steps) and result.finished_at is None:
            result.finished_at = event.occurred_at
            result.status = DossierStatus.DONE

    def supplement_request(self, event: EventView) -> None:
        self.supplements.append(event.id)
        self.result.status = DossierStatus.SUPPLEMENT
        if len(self.supplements) == 2:
            self.result.add(Finding("supplement_repeated", "", event.occurred_at, tuple(self.supplements)))

    def supplement_received(self, event: EventView) -> None:
        self.result.status = DossierStatus.PROCESSING

    def refusal(self, event: EventView) -> None:
        if not event.reason.strip():
            self.result.add(Finding("refusal_without_reason", "", event.occurred_at, (event.id,)))
        self.result.status = DossierStatus.REFUSED
        self.result.finished_at = self.result.finished_at or event.occurred_at

    def apology(self, event: EventView) -> None:
        self.apologies.append(event)
        self.result.promised_at = event.new_due_at

    def result_returned(self, event: EventView) -> None:
        self.result.returned_at = event.occurred_at
        self.result.finished_at = self.result.finished_at or event.occurred_at
        self.result.digitised = self.result.digitised or event.digitised
        self.result.status = DossierStatus.RETURNED

    def rating(self, event: EventView) -> None:
        self.result.rating = event.rating

    def payment(self, event: EventView) -> None:
        return None


def _lateness(walk: _Walk, due: dt.datetime, paused: bool) -> None:
    result, now = walk.result, walk.now
    finish = result.finished_at
    late_at = finish if finish is not None else (now if not paused else None)
    if late_at is None or late_at <= due:
        return
    result.is_late = True
    result.add(Finding("dossier_late", "", due, (), due.isoformat()))
    if not any(apology.occurred_at <= due for apology in walk.apologies):
        result.add(Finding("late_without_apology", "", due, tuple(a.id for a in walk.apologies)))


def _open_step(walk: _Walk, dossier_due: dt.datetime, paused: bool) -> None:
    """The step now running: late with no event (the sweep's case), and the next moment to look again."""
    result, now = walk.result, walk.now
    dues = [dossier_due]
    if walk.next_index < len(walk.version.steps):
        step = walk.version.steps[walk.next_index]
        result.current_step = step.code
        step_due, step_paused = walk.clock.due(walk.step_start, walk.clock.hours(step.allotted_days), now)
        if now > step_due and not step_paused:
            result.add(Finding("step_late", step.code, step_due, (), step_due.isoformat()))
        dues.append(step_due)
    future = [moment for moment in dues if moment > now]
    result.next_check_at = None if paused else (min(future) if future else None)


def dossier_check(
    *, version: VersionShape, events: list[EventView], calendar: WorkCalendar, now: dt.datetime
) -> CheckResult:
    """R5.3: judge a dossier from all its events (the first receipt opens it); see the module docstring."""
    ordered = _sorted(events)
    receipt = next(e for e in ordered if e.kind == EventKind.RECEIPT)
    pauses = _pauses(ordered) if version.stop_clock_on_supplement else []
    clock = _Clock(calendar, pauses)
    base_due = deadline_add(start=receipt.occurred_at, working_hours=clock.hours(version.limit_days), calendar=calendar)
    result = CheckResult(received_at=receipt.occurred_at, due_at=base_due)
    walk = _Walk(version, clock, result, now)
    for event in ordered:
        if event.kind == EventKind.RECEIPT and event is not receipt:
            continue
        getattr(walk, str(event.kind))(event)
    due, paused = clock.due(receipt.occurred_at, clock.hours(version.limit_days), now)
    result.due_at = due
    _lateness(walk, due, paused)
    if result.finished_at is None and result.status != DossierStatus.REFUSED:
        _open_step(walk, due, paused)
    return result
