"""R4.1, issue 14 "Speed": a batch's rule hits reach the inbox together (`alert_raise_many`), in order: a pair that
fires and clears within one batch raises, then resolves, its alert; one that fires twice in a batch has two."""

from __future__ import annotations

from django.test import TestCase

from ioc.common.testing import frozen
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, observations_create
from ioc.sensors.tests.rules_support import RuleWorld, minutes


class BatchHandOffTest(RuleWorld, TestCase):
    def send_batch(self, values: list[float]) -> None:
        rows = [
            ObservationRow({"phenomenon_time": minutes(15 * i), "result": v, "result_number": v})
            for i, v in enumerate(values)
        ]
        with frozen(minutes(15 * len(values))):
            observations_create(
                actor=self.system_user,
                agency_id=self.agency_a.pk,
                viewer=viewer_for(self.system_user),
                batches=[(self.stream.pk, rows)],
            )

    def test_a_rule_that_fires_and_clears_within_one_batch_leaves_its_alert_resolved(self) -> None:
        self.rule()
        self.send_batch([60, 30])
        self.assertEqual(self.states(), [("resolved", "threshold")])
        self.assertEqual([state for _kind, state, _key in self.alerts()], ["resolved"])

    def test_two_episodes_in_one_batch_are_two_alerts_the_second_still_open(self) -> None:
        self.rule()
        self.send_batch([60, 30, 70, 65])
        self.assertEqual(self.states(), [("resolved", "threshold"), ("firing", "threshold")])
        self.assertEqual([state for _kind, state, _key in self.alerts()], ["resolved", "new"])
