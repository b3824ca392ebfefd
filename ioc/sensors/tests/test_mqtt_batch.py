"""R5.5, issue 11 "Speed": the MQTT bridge's batch path without a broker (`Bridge.commit` on messages as paho hands
them over): the plain message's fast parser agrees with the general one, and a batch holding a message that
cannot be stored (an unknown FeatureOfInterest, a Thing without a Location, a Datastream deleted since the bridge
cached it) stores the others and rejects only that one, instead of failing the batch (redelivered for ever)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import TestCase, TransactionTestCase

from ioc.accounts.testing import PersonaSet, personas_create
from ioc.audit import services as audit_services
from ioc.audit.models import AuditEntry
from ioc.sensors.drafts import DraftError, parse_draft
from ioc.sensors.models import Datastream, Location, Observation, ObservationReceipt
from ioc.sensors.mqtt import Bridge, parse_message
from ioc.sensors.services import ObservationRow
from ioc.sensors.services.receipts import row_key
from ioc.sensors.tests.sta_support import StaClient, thing_payload


@dataclass
class Message:
    topic: str
    payload: bytes
    mid: int = 1
    qos: int = 1
    properties: Any = None


class Acks:
    def __init__(self) -> None:
        self.acked: list[int] = []

    def ack(self, mid: int, qos: int) -> None:
        self.acked.append(mid)


def general_row(body: dict[str, Any]) -> ObservationRow:
    return ObservationRow(parse_draft("Observations", body, given_links=frozenset({"Datastream"})).fields)


class FastParseTest(TestCase):
    topic = "v1.1/Datastreams(7)/Observations"

    def test_the_plain_message_gives_the_general_parsers_fields_and_its_utc_text(self):
        for when, text in (
            ("2025-07-01T07:00:00+07:00", "2025-07-01 00:00:00"),
            ("2025-07-01T00:00:00Z", "2025-07-01 00:00:00"),
            ("2025-07-01T00:00:00.250Z", "2025-07-01 00:00:00.250000"),
        ):
            body = {"phenomenonTime": when, "result": 12.5}
            key, row = parse_message(self.topic, json.dumps(body).encode())
            self.assertEqual((key, row.time_text), (7, text))
            self.assertEqual(row.fields, general_row(body).fields)

    def test_one_instant_in_two_offsets_has_one_receipt_key_and_another_result_another(self):
        keys = {
            row_key(7, parse_message(self.topic, json.dumps(body).encode())[1])
            for body in (
                {"phenomenonTime": "2025-07-01T07:00:00+07:00", "result": 3},
                {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3},
            )
        }
        self.assertEqual(len(keys), 1)
        other = parse_message(self.topic, b'{"phenomenonTime": "2025-07-01T00:00:00Z", "result": 4}')[1]
        self.assertNotIn(row_key(7, other), keys)

    def test_a_nul_or_lone_surrogate_escape_is_refused_before_parsing(self):
        # PostgreSQL cannot store either: the message is refused (and counted), not a failed batch.
        for payload in (
            b'{"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "parameters": {"k": "a\\u0000"}}',
            b'{"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "parameters": {"k": "\\udc00"}}',
        ):
            with self.subTest(payload=payload), self.assertRaisesMessage(DraftError, "NUL"):
                parse_message(self.topic, payload)
        emoji = b'{"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "parameters": {"k": "\\ud83d\\ude00"}}'
        self.assertEqual(parse_message(self.topic, emoji)[0], 7)

    def test_a_bad_time_is_refused_with_the_general_message_and_anything_else_goes_the_general_way(self):
        with self.assertRaisesMessage(DraftError, "phenomenonTime: thời điểm không hợp lệ"):
            parse_message(self.topic, '{"phenomenonTime": "hôm qua", "result": 1}'.encode())
        with self.assertRaisesMessage(DraftError, "phenomenonTime: thời điểm thiếu múi giờ"):
            parse_message(self.topic, b'{"phenomenonTime": "2025-07-01T00:00:00", "result": 1}')
        _key, interval = parse_message(
            self.topic, b'{"phenomenonTime": "2025-07-01T00:00:00Z/2025-07-01T01:00:00Z", "result": 1}'
        )
        self.assertIsNone(interval.time_text)
        self.assertIsNotNone(interval.fields["phenomenon_time_end"])
        with self.assertRaisesMessage(DraftError, "Unknown property: colour"):
            parse_message(self.topic, b'{"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "colour": 2}')


class BatchSupport(StaClient):
    """Two Things with one Datastream each, and a bridge with nothing cached yet."""

    def setUp(self) -> None:
        self.send("POST", "Things", thing_payload("Một"), 201)
        self.send("POST", "Things", thing_payload("Hai"), 201)
        self.first, self.second = Datastream.objects.order_by("pk")
        self.acks = Acks()
        self.bridge = Bridge(actor=self.system_account)

    def batch(self, *items: tuple[Datastream, dict[str, Any]]) -> list[tuple[Acks, Message]]:
        return [
            (self.acks, Message(f"v1.1/Datastreams({stream.pk})/Observations", json.dumps(body).encode(), mid))
            for mid, (stream, body) in enumerate(items, start=1)
        ]

    def reading(self, minute: int, **extra: Any) -> dict[str, Any]:
        return {"phenomenonTime": f"2025-07-01T00:{minute:02d}:00Z", "result": float(minute), **extra}

    def run_batch(self, batch: list[tuple[Acks, Message]]) -> None:
        self.bridge.commit(batch)
        self.bridge.acknowledge(batch)


class BatchFailuresTest(BatchSupport, TestCase):
    def test_an_unknown_feature_of_interest_rejects_its_message_only(self):
        bad = self.reading(2, FeatureOfInterest={"@iot.id": 999_999})
        self.run_batch(self.batch((self.first, self.reading(1)), (self.first, bad), (self.second, self.reading(3))))
        self.assertEqual(Observation.objects.count(), 2)
        self.assertEqual((self.bridge.counters.stored, self.bridge.counters.rejected), (2, 1))
        self.assertEqual(self.bridge.counters.duplicates, 0)
        self.assertEqual(sorted(self.acks.acked), [1, 2, 3])  # the rejected one too: not redelivered for ever
        self.assertEqual(ObservationReceipt.objects.count(), 2)

    def test_a_thing_without_a_location_rejects_its_datastreams_messages(self):
        Location.objects.filter(things=self.second.thing).delete()  # a fixture change, not a service path
        self.run_batch(self.batch((self.first, self.reading(1)), (self.second, self.reading(2))))
        self.assertEqual(list(Observation.objects.values_list("datastream_id", flat=True)), [self.first.pk])
        self.assertEqual(self.bridge.counters.reasons, {"FeatureOfInterest": 1})

    def test_a_redelivered_batch_is_counted_as_duplicates_and_stores_nothing(self):
        batch = self.batch((self.first, self.reading(1)), (self.second, self.reading(2)))
        self.run_batch(batch)
        self.run_batch(batch)
        self.assertEqual(Observation.objects.count(), 2)
        self.assertEqual((self.bridge.counters.stored, self.bridge.counters.duplicates), (2, 2))


class BatchIdsTest(BatchSupport, TestCase):
    def test_interleaved_datastreams_get_their_own_rows_ids_in_the_batchs_audit(self):
        """One INSERT for the whole batch on every engine: each Datastream's ids (audited as first, last, count)
        are the rows of that Datastream, however its messages were interleaved with another's."""
        self.run_batch(
            self.batch(
                (self.first, self.reading(1)),
                (self.second, self.reading(2)),
                (self.first, self.reading(3)),
                (self.second, self.reading(4)),
                (self.first, self.reading(5)),
            )
        )
        rows = []
        for stream in (self.first, self.second):
            ids = sorted(Observation.objects.filter(datastream=stream).values_list("pk", flat=True))
            rows.append((stream.pk, ids[0], ids[-1], len(ids)))
        entry = AuditEntry.objects.get(action="sensors.observation.mqtt_batch")
        self.assertEqual((entry.row_count, entry.digest), audit_services.rows_digest(rows))
        self.assertEqual([r[3] for r in rows], [3, 2])


class DeletedDatastreamTest(BatchSupport, TransactionTestCase):
    """Outside a test transaction: the foreign keys are checked at the bridge's own commit, as in production."""

    def setUp(self) -> None:
        people = personas_create()
        for name in PersonaSet.__dataclass_fields__:
            setattr(self, name, getattr(people, name))
        super().setUp()

    def test_a_datastream_deleted_after_the_bridge_cached_it_is_rejected_and_the_rest_stored(self):
        self.run_batch(self.batch((self.first, self.reading(1)), (self.second, self.reading(2))))
        self.assertEqual(Observation.objects.count(), 2)
        Datastream.objects.filter(pk=self.second.pk).delete()  # cached by the bridge
        self.run_batch(self.batch((self.first, self.reading(3)), (self.second, self.reading(4))))
        self.assertEqual(Observation.objects.filter(datastream=self.first).count(), 2)
        self.assertEqual(Observation.objects.count(), 2)
        self.assertEqual(self.bridge.counters.rejected, 1)
        self.assertEqual(self.bridge.counters.reasons, {"Datastream": 1})
