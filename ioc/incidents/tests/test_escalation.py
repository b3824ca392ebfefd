"""R4.3–R4.5: each breach of an agency's deadline on an incident escalates one tier along the incidents' chain
(default: IOC leader at the deadline → head of the agency at 150 % → the province's leader at 200 %), on a frozen
clock across a weekend and a holiday — working time for an ordinary agency, plain minutes for a 24/7 force.

Agency B, Fri 24/4/2026 15:00, 5 working hours (7:30–11:30, 13:30–17:00); 25–26/4 weekend, 27/4 Hùng Kings
(observed): tier 1 (5 h) Tue 28/4 10:30, tier 2 (7.5 h) Tue 15:00, tier 3 (10 h) Wed 29/4 8:00; the kind's
accept time (1 working hour) runs out Fri 16:00, a breach of its own told to tier 1 once.
Fire force A (24/7), dispatched Sat 25/4 23:50 with 20 minutes: not accepted at 23:53 (3 minutes); tiers at
Sun 00:10 and 00:20; on scene at 00:25, so the third (00:30) never fires.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.test import TestCase

from ioc.assignments import services as assignment_services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec
from ioc.incidents import services
from ioc.incidents.models import IncidentEvent
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin
from ioc.notifications.models import Outbox
from ioc.worktime.selectors import LOCAL_TZ

DEFAULT = importlib.import_module("ioc.incidents.migrations.0002_default_incidents_chain")
MINUTE = dt.timedelta(minutes=1)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """`django.utils.timezone.now()` answers `moment` everywhere inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def sweep(moment: dt.datetime) -> int:
    with frozen(moment):
        return assignment_services.assignment_escalate_due(now=moment)


class EscalationTest(IncidentsMixin, TestCase):
    def setUp(self) -> None:
        # The migration's default chain, set again: a transactional test before this one may flush it.
        assignment_services.escalation_chain_set(
            actor=self.leader,
            process="incidents",
            category_code="",
            name=DEFAULT.NAME,
            steps=[StepSpec(share, role, urgent) for _order, share, role, urgent in DEFAULT.STEPS],
        )

    def escalated(self, part: Assignment) -> int:
        return AssignmentUpdate.objects.filter(assignment=part, kind=UpdateKind.ESCALATE).count()

    def test_working_time_across_a_weekend_and_a_holiday(self) -> None:
        with frozen(local(2026, 4, 24, 15, 0)):
            incident = self.open_incident()
            part = services.incident_forward(
                incident=incident, agencies=[self.agency_b], actor=self.operator, working_hours=5
            )[0]
        tier_1, tier_2, tier_3 = local(2026, 4, 28, 10, 30), local(2026, 4, 28, 15, 0), local(2026, 4, 29, 8, 0)
        self.assertEqual(part.deadline_at, tier_1)
        self.assertEqual(part.accept_deadline_at, local(2026, 4, 24, 16, 0))
        self.assertEqual(sweep(local(2026, 4, 24, 15, 59)), 0)
        self.assertEqual(sweep(local(2026, 4, 24, 16, 0)), 1)  # not accepted in time: once
        self.assertEqual(sweep(local(2026, 4, 27, 16, 0)), 0)  # the weekend and the holiday do not count
        self.assertEqual(sweep(tier_1 - MINUTE), 0)
        self.assertEqual(sweep(tier_1), 1)
        self.assertEqual(sweep(tier_1 + MINUTE), 0)  # never twice
        self.assertEqual(sweep(tier_2), 1)
        self.assertEqual(sweep(tier_3 - MINUTE), 0)
        self.assertEqual(sweep(tier_3), 1)
        self.assertEqual(self.escalated(part), 4)
        self.assertEqual(Outbox.objects.filter(template="assignments.not_accepted").count(), 1)
        told = Outbox.objects.filter(event="assignment.escalate").values_list("recipient_user_id", flat=True)
        self.assertIn(self.leader.pk, set(told))  # tier 1: the IOC leader
        lines = IncidentEvent.objects.filter(incident=incident, kind="assignment", text__contains="Bước")
        self.assertEqual(lines.count(), 3)  # every tier on the incident's timeline

    def test_a_force_counts_plain_minutes_round_the_clock(self) -> None:
        with frozen(local(2026, 4, 25, 23, 50)):
            fire = self.open_incident(kind="fire", commune=OTHER_COMMUNE)
            part = services.incident_dispatch(incident=fire, agencies=[self.agency_a], actor=self.operator, minutes=20)[
                0
            ]
        self.assertEqual(part.deadline_at, local(2026, 4, 26, 0, 10))
        self.assertEqual(part.accept_deadline_at, local(2026, 4, 25, 23, 53))
        self.assertEqual(sweep(local(2026, 4, 25, 23, 52)), 0)
        self.assertEqual(sweep(local(2026, 4, 26, 0, 9)), 1)  # not accepted within 3 minutes (23:53)
        self.assertEqual(sweep(local(2026, 4, 26, 0, 10)), 1)
        self.assertEqual(sweep(local(2026, 4, 26, 0, 20)), 1)
        with frozen(local(2026, 4, 26, 0, 25)):  # on scene: the part is resolved, nothing more escalates
            services.incident_en_route(incident=fire, actor=self.officer_a)
            assignment_services.assignment_accept(assignment=part, actor=self.officer_a)
            assignment_services.assignment_resolve(assignment=part, actor=self.officer_a, resolution="Đã có mặt")
        self.assertEqual(sweep(local(2026, 4, 26, 0, 30)), 0)
        self.assertEqual(self.escalated(part), 3)
