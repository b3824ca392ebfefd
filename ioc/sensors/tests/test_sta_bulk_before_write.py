"""Issue 11 "Parse and validate before the write transaction" (docs/decisions/0004): `CreateObservations` resolves
each Datastream, checks its owner, looks up the named FeaturesOfInterest and checks the results before it opens the
write transaction; a bad request is refused without one. A good request stores the rows of all its Datastreams
in one multi-row INSERT (`_insert_many`, shared with the MQTT bridge), ids in the order of the rows."""

from typing import Any

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.sensors.models import Datastream, FeatureOfInterest, Observation, Thing
from ioc.sensors.tests.sta_support import StaClient, thing_payload


def _batch(stream: int | str, rows: list[Any], components: list[str] | None = None) -> dict[str, Any]:
    return {
        "Datastream": {"@iot.id": stream},
        "components": components or ["phenomenonTime", "result"],
        "dataArray": rows,
    }


class BeforeTheWriteTest(StaClient, TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.send("POST", "Things", thing_payload("Một"), 201)
        self.send("POST", "Things", thing_payload("Hai"), 201)
        self.first, self.second = Datastream.objects.order_by("pk")
        self.good = _batch(self.first.pk, [["2025-07-01T00:00:00Z", 1.5]])

    def refused_before_writing(self, body: list[dict[str, Any]], status: int) -> str:
        with CaptureQueriesContext(connection) as queries:
            message = self.error_message("POST", "CreateObservations", body, status)
        statements = [q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries]
        # Inside TestCase the service's atomic block is a SAVEPOINT: none may be opened, nothing inserted.
        self.assertNotIn("SAVEPOINT", statements)
        self.assertNotIn("INSERT", statements)
        self.assertFalse(Observation.objects.exists())
        return message

    def test_an_unknown_datastream_in_a_later_batch_is_refused_before_the_transaction(self):
        message = self.refused_before_writing([self.good, _batch(999_999, [["2025-07-01T00:00:00Z", 2]])], 400)
        self.assertIn("Datastream(999999)", message)

    def test_another_agencys_datastream_is_refused_before_the_transaction(self):
        Thing.objects.filter(pk=self.second.thing_id).update(agency=self.agency_b)
        self.refused_before_writing([self.good, _batch(self.second.pk, [["2025-07-01T00:00:00Z", 2]])], 403)

    def test_an_unknown_feature_of_interest_is_refused_before_the_transaction(self):
        named = _batch(
            self.second.pk, [["2025-07-01T00:00:00Z", 2, 424242]], ["phenomenonTime", "result", "FeatureOfInterest/id"]
        )
        message = self.refused_before_writing([self.good, named], 400)
        self.assertIn("FeatureOfInterest(424242)", message)

    def test_a_result_of_the_wrong_type_is_refused_before_the_transaction(self):
        message = self.refused_before_writing(
            [self.good, _batch(self.second.pk, [["2025-07-01T00:00:00Z", "cao"]])], 400
        )
        self.assertIn("result", message)

    def test_two_datastreams_named_and_generated_features_in_one_insert(self):
        feature = FeatureOfInterest.objects.create(
            agency=self.agency_a, name="Điểm", description="d", encoding_type="application/geo+json", feature={}
        )
        named = _batch(
            self.second.pk,
            [["2025-07-01T00:00:00Z", 3, feature.pk], ["2025-07-01T00:15:00Z", 4, feature.pk]],
            ["phenomenonTime", "result", "FeatureOfInterest/id"],
        )
        generated = _batch(self.first.pk, [["2025-07-01T00:00:00Z", 1], ["2025-07-01T00:15:00Z", 2]])
        self.assertFalse(FeatureOfInterest.objects.filter(source_location__isnull=False).exists())
        with CaptureQueriesContext(connection) as queries:
            links = self.send("POST", "CreateObservations", [generated, named], 201)
        # One insert for both Datastreams: an INSERT on SQLite; on PostgreSQL one COPY (which Django's query log does
        # not see) between the sequence's nextval and currval, and no INSERT.
        sqls = [q["sql"] for q in queries.captured_queries]
        inserts = [sql for sql in sqls if sql.startswith('INSERT INTO "sensors_observation"')]
        sequence = [sql for sql in sqls if "pg_get_serial_sequence" in sql]
        self.assertEqual((len(inserts), len(sequence)), (0, 2) if connection.vendor == "postgresql" else (1, 0))
        ids = [int(link.rsplit("(", 1)[1].rstrip(")")) for link in links]
        stored = Observation.objects.in_bulk(ids)
        rows = [(stored[pk].datastream_id, stored[pk].result, stored[pk].feature_of_interest_id) for pk in ids]
        made = FeatureOfInterest.objects.get(source_location__isnull=False)  # generated inside the transaction
        self.assertEqual(
            rows,
            [
                (self.first.pk, 1, made.pk),
                (self.first.pk, 2, made.pk),
                (self.second.pk, 3, feature.pk),
                (self.second.pk, 4, feature.pk),
            ],
        )
