"""R4.1, issue 14 "Speed": a batch judged in one pass. The open states of its Datastreams are read once, a stream
with none whose readings all stay clear of the raise level is passed over (nothing written), the states that
changed are written together at the end — an open state that clears and raises again within the batch is resolved
before its successor is stored — and a rule raising on low values is judged on the batch's lowest reading."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.common.testing import frozen
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, RuleState
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import ObservationRow, entity_create, observations_create
from ioc.sensors.tests.rules_support import RuleWorld, minutes
from ioc.sensors.tests.sta_support import thing_payload


class BatchJudgementTest(RuleWorld, TestCase):
    other: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        draft = parse_draft("Things", thing_payload("Trạm Hai"))
        entity_create(actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer_for(cls.system_user), draft=draft)
        cls.other = Datastream.objects.get(thing__name="Trạm Hai")

    def send_readings(self, streams: dict[int, list[tuple[float, float]]], *, at: float) -> list[str]:
        """One dataArray request: per Datastream, (minute, value) readings; returns the SQL it ran on rule states."""
        batches: list[tuple[int | str, list[ObservationRow]]] = [
            (pk, [ObservationRow({"phenomenon_time": minutes(m), "result": v, "result_number": v}) for m, v in rows])
            for pk, rows in streams.items()
        ]
        with frozen(minutes(at)), CaptureQueriesContext(connection) as queries:
            observations_create(
                actor=self.system_user, agency_id=self.agency_a.pk, viewer=viewer_for(self.system_user), batches=batches
            )
        return [q["sql"] for q in queries.captured_queries if "sensors_rulestate" in q["sql"]]

    def pair_states(self) -> list[tuple[int, str, float | None]]:
        rows = RuleState.objects.order_by("pk").values_list("datastream_id", "state", "last_value")
        return [(pk, state, value) for pk, state, value in rows]

    def test_readings_under_every_raise_level_with_nothing_open_write_no_state(self) -> None:
        self.rule()
        sql = self.send_readings({self.stream.pk: [(0, 20), (5, 49.9)], self.other.pk: [(0, 50)]}, at=6)
        self.assertEqual(self.pair_states(), [])
        self.assertEqual([q.split()[0] for q in sql], ["SELECT"])  # the open states, read once for both streams

    def test_one_batch_moves_each_stream_on_its_own(self) -> None:
        self.rule()
        self.send_readings({self.stream.pk: [(0, 60)], self.other.pk: [(0, 70)]}, at=1)
        self.send_readings({self.stream.pk: [(15, 45)], self.other.pk: [(15, 30)]}, at=16)
        # the first stays firing between the clear and raise levels (its value moved), the second cleared
        self.assertEqual(self.pair_states(), [(self.stream.pk, "firing", 45.0), (self.other.pk, "resolved", 30.0)])
        self.assertEqual(sorted(state for _kind, state, _key in self.alerts()), ["new", "resolved"])

    def test_an_open_state_that_clears_and_raises_again_in_one_batch_is_resolved_before_the_next_is_stored(
        self,
    ) -> None:
        self.rule()
        self.send_readings({self.stream.pk: [(0, 60)]}, at=1)
        self.send_readings(
            {self.stream.pk: [(15, 30), (30, 80)]}, at=31
        )  # the stored firing state clears, then a new one
        self.assertEqual(self.pair_states(), [(self.stream.pk, "resolved", 30.0), (self.stream.pk, "firing", 80.0)])
        self.assertEqual([state for _kind, state, _key in self.alerts()], ["resolved", "new"])

    def test_an_older_reading_leaves_the_open_state_unwritten(self) -> None:
        self.rule()
        self.send_readings({self.stream.pk: [(30, 60)]}, at=31)
        sql = self.send_readings({self.stream.pk: [(0, 10)]}, at=32)
        self.assertEqual(self.pair_states(), [(self.stream.pk, "firing", 60.0)])
        self.assertEqual([q.split()[0] for q in sql], ["SELECT"])

    def test_a_rule_raising_on_low_values_is_judged_on_the_lowest_reading(self) -> None:
        self.rule(code="pm25-low", raise_op="<", raise_value=5.0, clear_op=">=", clear_value=10.0)
        self.send_readings({self.stream.pk: [(0, 12), (5, 3), (10, 7)], self.other.pk: [(0, 12), (5, 6)]}, at=11)
        self.assertEqual(self.pair_states(), [(self.stream.pk, "firing", 7.0)])  # 7: under the clear level
