"""The sweep's steps planned in SQL (`escalation_plan`; issue 12 "Speed") are the Python planner's steps: the same
rows, run at the same moments once with each planner and rolled back, leave the same levels, wake-ups and accept
marks, the same timeline texts, the same audit listing and the same messages. The rows cover a missed
acceptance alone and with tiers (catch-up), one tier and three, a due time with microseconds, a plan edited since
the clock started and a row without a plan (those two go to the Python planner inside the same batch), and two
works due at the same instant on different calendars (office hours, round the clock), each with its own next step.

Same clock as test_escalation: forwarded Fri 24/4/2026 15:00, 16 working hours; the chain 80 % / 100 % / 150 %.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

from django.db import transaction

from ioc.agencies.models import Agency
from ioc.assignments import services
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.assignments.services import StepSpec, assignment_escalate_due, escalation_plan
from ioc.assignments.tests.escalation_audit import escalation_audit
from ioc.assignments.tests.support import WorkCase, frozen, local
from ioc.notifications.models import Outbox

CHAIN = [StepSpec(0.8, "agency_officer"), StepSpec(1.0, "agency_head"), StepSpec(1.5, "ioc_leader", True)]
FORWARDED = local(2026, 4, 24, 15, 0)
MOMENTS = [
    local(2026, 4, 24, 17, 0),  # the acceptances (1 working hour) missed, no tier yet
    local(2026, 4, 29, 10, 48),  # tier 1 of the office-hours works
    local(2026, 4, 29, 16, 0),  # tier 2
    local(2026, 5, 6, 9, 0),  # everything due: catch-up to tier 3
]


class Rollback(Exception):
    """Undoes one planner's run, so the other runs on the same rows."""


class SqlPlanTest(WorkCase):
    def setUp(self) -> None:
        super().setUp()
        services.escalation_chain_set(actor=self.leader, process="test", category_code="", name="Mặc định", steps=CHAIN)
        rescue = Agency.objects.create(code="plan-rescue", name="Cứu hộ", works_24x7=True)
        with frozen(FORWARDED):
            self.works = [
                self.forward(subject_id="S-1", accept_within=1),
                self.forward(subject_id="S-2"),
                self.forward(subject_id="S-3", accept_within=2),
                self.forward(subject_id="S-4", agency=rescue),  # same start, a round-the-clock calendar
                self.forward(subject_id="S-5", agency=self.agency_b, accept_within=1),
                self.forward(subject_id="S-6"),
                self.forward(subject_id="S-7"),
            ]
        plan: list[list[Any]] = Assignment.objects.get(pk=self.works[5].pk).escalation_due or []
        plan[0][1] = plan[0][1].replace("+07:00", ".250000+07:00")  # a due time with microseconds
        Assignment.objects.filter(pk=self.works[5].pk).update(
            escalation_due=plan, next_escalation_at=dt.datetime.fromisoformat(plan[0][1])
        )
        edited = [[0.8, plan[0][1]], [1.2, plan[1][1]], plan[2]]  # not the chain's share: the Python planner
        Assignment.objects.filter(pk=self.works[6].pk).update(escalation_due=edited)
        Assignment.objects.filter(pk=self.works[1].pk).update(escalation_due=None)  # no plan: the Python planner

    def run_once(self, moment: dt.datetime, *, in_sql: bool) -> dict[str, Any]:
        """Sweep at `moment` with one planner; what it left, then rolled back."""
        planned: list[int] = []
        real = escalation_plan.plan_chain

        def counting(*args: Any) -> int:
            planned.append(real(*args))
            return planned[-1]

        found: dict[str, Any] = {}
        with (
            mock.patch.object(escalation_plan, "enabled", return_value=in_sql),
            mock.patch.object(escalation_plan, "plan_chain", side_effect=counting),
        ):
            try:
                with transaction.atomic():
                    with frozen(moment):
                        found["fired"] = assignment_escalate_due(now=moment)
                    found.update(self.left())
                    raise Rollback
            except Rollback:
                pass
        found["planned in SQL"] = sum(planned)
        return found

    def left(self) -> dict[str, Any]:
        rows = Assignment.objects.filter(pk__in=[work.pk for work in self.works]).order_by("pk")
        updates = dict(AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE).values_list("pk", "assignment_id"))

        def plain(text: str) -> str:  # timeline row ids differ between the runs on PostgreSQL: named by their work
            return re.sub(r"update:(\d+)", lambda m: f"update:w{updates[int(m.group(1))]}", text)

        audit = [{**step, "update": updates[step["update"]]} for step in escalation_audit()]
        outbox = Outbox.objects.filter(event="assignment.escalate").order_by("pk")
        digest = re.compile(r"escalate-digest:(\d+)-(\d+):")
        return {
            "rows": list(rows.values_list("pk", "escalation_level", "next_escalation_at", "accept_escalated_at")),
            "leases": list(rows.values_list("escalation_lease_until", flat=True)),
            "timeline": list(
                AssignmentUpdate.objects.filter(kind=UpdateKind.ESCALATE)
                .order_by("pk")
                .values_list("assignment", "text")
            ),
            "audit": audit,
            "messages": [
                (
                    row.recipient_user_id,
                    row.channel,
                    row.template,
                    row.urgent,
                    row.context,
                    digest.sub("", plain(row.dedup_key)),
                )
                for row in outbox
            ],
        }

    def test_both_planners_leave_the_same_steps(self) -> None:
        for moment in MOMENTS:
            with self.subTest(moment=moment):
                python, in_sql = self.run_once(moment, in_sql=False), self.run_once(moment, in_sql=True)
                self.assertEqual(python.pop("planned in SQL"), 0)
                self.assertGreater(in_sql.pop("planned in SQL"), 0)  # the SQL planner took part
                self.assertGreater(python["fired"], 0)
                self.assertEqual(in_sql, python)
                self.assertEqual(set(python["leases"]), {None})

    def test_two_works_due_at_one_instant_on_different_calendars_get_their_own_next_steps(self) -> None:
        office, rescue = self.works[2], self.works[3]
        both = Assignment.objects.filter(pk__in=[office.pk, rescue.pk])
        instant = local(2026, 4, 24, 17, 0)  # both acceptances due at once, before either's first tier
        both.update(accept_deadline_at=instant, next_escalation_at=instant, status="forwarded")
        plans: dict[int, Any] = dict(both.values_list("pk", "escalation_due"))
        found = self.run_once(instant, in_sql=True)
        self.assertEqual({pk for pk, _text in found["timeline"]} & {office.pk, rescue.pk}, {office.pk, rescue.pk})
        rows = {pk: (level, next_at, accept) for pk, level, next_at, accept in found["rows"]}
        for pk in (office.pk, rescue.pk):  # each wakes at its own tier 1: 80 % of its own calendar's time
            self.assertEqual(rows[pk], (0, dt.datetime.fromisoformat(plans[pk][0][1]), instant))
        self.assertEqual(rows[rescue.pk][1], local(2026, 4, 25, 3, 48))  # round the clock: 12.8 hours on
        self.assertGreater(rows[office.pk][1], local(2026, 4, 28))  # office hours: after the weekend and holiday
