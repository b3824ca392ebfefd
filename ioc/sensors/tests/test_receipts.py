"""R5.5, MQTT exactly-once (docs/decisions/0007 "Duplicate window"): `observations_ingest` leaves out rows whose
key an earlier delivery stored; rows without a phenomenonTime have no key; old receipts are pruned."""

import datetime as dt
from typing import Any

from django.test import TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, Observation, ObservationReceipt
from ioc.sensors.services import ObservationRow, observation_receipts_prune, observations_ingest
from ioc.sensors.services.receipts import RECEIPT_DAYS, row_key
from ioc.sensors.tests.sta_support import StaClient, thing_payload


def row(body: dict[str, Any]) -> ObservationRow:
    return ObservationRow(parse_draft("Observations", body, given_links=frozenset({"Datastream"})).fields)


class ReceiptTest(StaClient, TestCase):
    stream: Datastream

    def setUp(self) -> None:
        self.send("POST", "Things", thing_payload("Nhận"), 201)
        self.stream = Datastream.objects.get()

    def ingest(self, *bodies: dict[str, Any]) -> int:
        return observations_ingest(actor=self.system_account, batches=[(self.stream, [row(b) for b in bodies])])

    def test_a_redelivered_row_is_stored_once_whatever_its_offset(self):
        first = {"phenomenonTime": "2025-07-01T07:00:00+07:00", "result": 1.5}
        same = {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1.5}
        self.assertEqual(self.ingest(first, {"phenomenonTime": "2025-07-01T00:15:00Z", "result": 2}), 2)
        self.assertEqual(self.ingest(same), 0)
        self.assertEqual(Observation.objects.count(), 2)
        self.assertEqual(ObservationReceipt.objects.count(), 2)

    def test_a_row_repeated_within_one_batch_is_stored_once(self):
        body = {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3}
        self.assertEqual(self.ingest(body, body), 1)
        self.assertEqual(Observation.objects.count(), 1)

    def test_a_different_result_or_stream_at_the_same_time_is_another_observation(self):
        key = row_key(self.stream.pk, row({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3}))
        self.assertNotEqual(key, row_key(self.stream.pk, row({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 4})))
        self.assertNotEqual(
            key, row_key(self.stream.pk + 1, row({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3}))
        )
        self.assertEqual(
            self.ingest(
                {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3},
                {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 4},
            ),
            2,
        )

    def test_rows_without_a_phenomenon_time_have_no_key_and_are_each_stored(self):
        self.assertIsNone(row_key(self.stream.pk, row({"result": 5})))
        self.assertEqual(self.ingest({"result": 5}, {"result": 5}), 2)
        self.assertEqual(ObservationReceipt.objects.count(), 0)

    def test_pruning_drops_only_receipts_older_than_any_redelivery(self):
        now = timezone.now()
        ObservationReceipt.objects.create(key="a" * 32, received_at=now - dt.timedelta(days=RECEIPT_DAYS, hours=1))
        ObservationReceipt.objects.create(key="b" * 32, received_at=now - dt.timedelta(days=RECEIPT_DAYS - 1))
        self.assertEqual(observation_receipts_prune(actor=self.system_account, now=now), 1)
        self.assertEqual(list(ObservationReceipt.objects.values_list("key", flat=True)), ["b" * 32])
        self.assertEqual(AuditEntry.objects.filter(action="sensors.observation_receipt.prune").count(), 1)
        self.assertEqual(observation_receipts_prune(actor=self.system_account, now=now), 0)
        self.assertEqual(AuditEntry.objects.filter(action="sensors.observation_receipt.prune").count(), 1)
