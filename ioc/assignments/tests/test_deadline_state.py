"""Deadline state: on track, at risk from 80 %, overdue after the deadline; the SQL rank agrees (R3.3)."""

import datetime as dt

from ioc.assignments import selectors, services
from ioc.assignments.choices import DeadlineState
from ioc.assignments.models import Assignment
from ioc.assignments.tests.support import WorkCase, frozen, local

SECOND = dt.timedelta(seconds=1)


class DeadlineStateTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        with frozen(local(2026, 4, 24, 15, 0)):
            self.work = self.forward(working_hours=16)  # at risk from 29/4 10:48, due 29/4 16:00

    def sql_state(self, now: dt.datetime) -> DeadlineState:
        row = selectors.with_deadline_rank(Assignment.objects.filter(pk=self.work.pk), now=now).get()
        return selectors.STATE_BY_RANK[getattr(row, selectors.RANK_FIELD)]

    def test_it_moves_from_on_track_to_at_risk_to_overdue(self):
        expected = [
            (local(2026, 4, 28, 9, 0), DeadlineState.ON_TRACK),
            (local(2026, 4, 29, 10, 48) - SECOND, DeadlineState.ON_TRACK),
            (local(2026, 4, 29, 10, 48), DeadlineState.AT_RISK),
            (local(2026, 4, 29, 16, 0), DeadlineState.AT_RISK),
            (local(2026, 4, 29, 16, 0) + SECOND, DeadlineState.OVERDUE),
        ]
        for now, state in expected:
            with self.subTest(now=now):
                self.assertEqual(selectors.deadline_state(assignment=self.work, now=now), state)
                self.assertEqual(self.sql_state(now), state)

    def test_it_judges_resolved_work_by_when_it_was_resolved(self):
        with frozen(local(2026, 4, 29, 15, 0)):
            services.assignment_accept(assignment=self.work, actor=self.officer_a)
            services.assignment_resolve(assignment=self.work, actor=self.officer_a, resolution="Xong")
        later = local(2026, 6, 1, 9, 0)
        self.assertEqual(selectors.deadline_state(assignment=self.work, now=later), DeadlineState.ON_TRACK)
        self.assertEqual(self.sql_state(later), DeadlineState.ON_TRACK)

    def test_it_marks_late_resolutions_overdue(self):
        with frozen(local(2026, 5, 4, 9, 0)):
            services.assignment_accept(assignment=self.work, actor=self.officer_a)
            services.assignment_resolve(assignment=self.work, actor=self.officer_a, resolution="Xong")
        self.assertEqual(selectors.deadline_state(assignment=self.work), DeadlineState.OVERDUE)
        self.assertEqual(self.sql_state(local(2026, 6, 1, 9, 0)), DeadlineState.OVERDUE)
