"""Agencies' answers to items forwarded from the watch, handed to the indicators (R5.7, 002:6.5 "kịp thời xử lý
các thông tin phản ánh trên mạng xã hội"; issue 22 item 5 "answer and time to answer … feed the indicators"): the
"tương tác" ready set's `mang_*` indicators, per month, for the territory and each commune, as dossiers hands its
`dvc766_*` scores (`ioc/dossiers/services/scores.py`): `values_check`, then `values_import` of the clean rows.

A month's cohort is the items forwarded in it (local time): forwarded, answered (so far), the share answered by the
assignment's deadline among those whose outcome is known (answered, or unanswered past the deadline: an item still
within its time counts for neither side), and the mean wall-clock hours from forwarding to the answer. A scope with
no forwarded item gets no value at all, and a share or mean with nothing to divide by gets none (never 0 %)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record
from ioc.common.periods import period_code, period_parse
from ioc.geo.models import AdminUnit
from ioc.indicators.services import ValueRow, values_check, values_import
from ioc.media_watch.models import Handling

if TYPE_CHECKING:
    from ioc.accounts.models import User

# The indicators this module fills (ioc/indicators/readysets.py, sector "tuong-tac").
FORWARDED = "mang_chuyen_tra_loi"
ANSWERED = "mang_da_tra_loi"
ON_TIME = "mang_tra_loi_dung_han"
HOURS = "mang_gio_tra_loi"
TERRITORY = "territory"


@dataclass
class Cohort:
    """One scope's figures for a month's forwarded items."""

    forwarded: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0  # answered after the deadline, or unanswered past it
    hours: float = 0.0  # the sum over the answered items

    def add(
        self, *, forwarded_at: dt.datetime, answered_at: dt.datetime | None, deadline: dt.datetime, now: dt.datetime
    ) -> None:
        self.forwarded += 1
        if answered_at is not None:
            self.answered += 1
            self.hours += (answered_at - forwarded_at).total_seconds() / 3600
            if answered_at <= deadline:
                self.on_time += 1
            else:
                self.late += 1
        elif deadline < now:
            self.late += 1

    def values(self) -> dict[str, float]:
        """The indicator values of this scope: none at all without a forwarded item."""
        if not self.forwarded:
            return {}
        found = {FORWARDED: float(self.forwarded), ANSWERED: float(self.answered)}
        if self.on_time + self.late:
            found[ON_TIME] = round(100 * self.on_time / (self.on_time + self.late), 2)
        if self.answered:
            found[HOURS] = round(self.hours / self.answered, 2)
        return found


def answer_cohorts(*, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[str, Cohort]:
    """Unit code ("territory" for the whole) → the figures of the items forwarded in [start, end). An item whose
    assignment names a commune counts for it and for the territory; one without, for the territory only."""
    forwarded = list(
        Handling.objects.filter(kind=Handling.KIND_FORWARD, created_at__gte=start, created_at__lt=end)
        .exclude(assignment_id=None)
        .values_list("assignment_id", "created_at", "answered_at")
    )
    assignments = {
        pk: (deadline, unit)
        for pk, deadline, unit in Assignment.objects.filter(pk__in=[row[0] for row in forwarded]).values_list(
            "pk", "deadline_at", "unit_id"
        )
    }
    codes = dict(AdminUnit.objects.filter(pk__in={u for _d, u in assignments.values() if u}).values_list("pk", "code"))
    cohorts: dict[str, Cohort] = {}
    for assignment_id, forwarded_at, answered_at in forwarded:
        if assignment_id not in assignments:
            continue  # an assignment removed with its agency's data: nothing to measure against
        deadline, unit_id = assignments[assignment_id]
        for key in (TERRITORY, codes.get(unit_id) if unit_id else None):
            if key:
                cohorts.setdefault(key, Cohort()).add(
                    forwarded_at=forwarded_at, answered_at=answered_at, deadline=deadline, now=now
                )
    return cohorts


def answer_rows(*, period: str, cohorts: dict[str, Cohort]) -> list[ValueRow]:
    return [
        ValueRow(indicator=code, period=period, unit=unit, value=value)
        for unit, cohort in sorted(cohorts.items())
        for code, value in cohort.values().items()
    ]


@transaction.atomic
def answer_indicators_compute(*, month: dt.date, actor: User, now: dt.datetime | None = None) -> tuple[int, int]:
    """R5.7: the month's answer indicators handed to `values_import` (all or nothing for those the catalogue takes;
    an indicator not in it, or a unit outside the territory, is left out and counted). (stored, skipped)."""
    now = now or timezone.now()
    period = period_parse(period_code(month, "month"))
    values = answer_rows(period=period.code, cohorts=answer_cohorts(start=period.start, end=period.end, now=now))
    _clean, conflicts = values_check(actor=actor, rows=values)
    bad = {c["row"] for c in conflicts}
    good = [v for n, v in enumerate(values, start=1) if n not in bad]
    stored = 0
    if good:
        summary = values_import(actor=actor, rows=good)
        stored = summary["imported"] + summary["updated"]
    audit_record(
        actor=actor,
        action="media_answer_indicators.compute",
        object_type="media_watch.Handling",
        object_id=period.code,
        row_count=stored,
        changes={"skipped": len(bad)},
    )
    return stored, len(bad)
