"""docs/decisions/0014: observations have no database foreign key to their Datastream and FeatureOfInterest. The
services check both once per request or batch, inside the write transaction (`observation_parents_missing`);
deleting a Datastream, a Thing or a FeatureOfInterest still removes their observations (Django's cascade, after
locking what it deletes)."""

import datetime as dt

from django.db import IntegrityError, connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from ioc.sensors.models import Datastream, FeatureOfInterest, Observation
from ioc.sensors.services import ObservationRow, observations_ingest
from ioc.sensors.services._base import PARENTS_MARK, observation_parents_missing
from ioc.sensors.tests.test_sta_query import START, QueryWorld


def _rows(day: int, n: int) -> list[list[object]]:
    return [[f"2025-08-{day:02d}T{hour:02d}:00:00Z", hour] for hour in range(n)]


class ObservationParentsTest(QueryWorld, TestCase):
    def create(self, streams: list[int], status: int) -> object:
        body = [
            {"Datastream": {"@iot.id": pk}, "components": ["phenomenonTime", "result"], "dataArray": _rows(2 + i, 5)}
            for i, pk in enumerate(streams)
        ]
        return self.send("POST", "CreateObservations", body, status)

    def test_a_request_checks_its_datastreams_and_features_by_one_statement_each_whatever_its_rows(self):
        with CaptureQueriesContext(connection) as queries:
            links = self.create([self.ds_a.pk, self.ds_b.pk, self.ds_a.pk], 201)
        assert isinstance(links, list)
        self.assertEqual(len(links), 15)
        held = [q["sql"] for q in queries.captured_queries if PARENTS_MARK in q["sql"]]
        self.assertEqual(len(held), 2, held)  # one for the Datastreams, one for the FeaturesOfInterest
        self.assertIn("sensors_datastream", held[0])
        self.assertIn("sensors_featureofinterest", held[1])
        if connection.vendor == "postgresql":
            self.assertIn("FOR KEY SHARE", held[0])

    def test_an_unknown_datastream_refuses_the_whole_request(self):
        before = Observation.objects.count()
        answer = self.create([self.ds_a.pk, 987_654], 400)
        assert isinstance(answer, dict)
        self.assertIn("Datastream(987654)", answer["message"])
        self.assertEqual(Observation.objects.count(), before)

    def test_what_no_longer_exists_is_named(self):
        feature = FeatureOfInterest.objects.order_by("pk").first()
        assert feature is not None
        self.assertEqual(observation_parents_missing(datastreams=[self.ds_a.pk], features=[feature.pk]), [])
        self.assertEqual(
            observation_parents_missing(datastreams=[self.ds_b.pk, 987_654, 987_653], features=[feature.pk, 5_555_555]),
            ["Datastream(987653)", "Datastream(987654)", "FeatureOfInterest(5555555)"],
        )

    def test_a_batch_whose_datastream_was_deleted_since_it_was_read_stores_nothing(self):
        # The MQTT bridge keeps Datastreams for 60 s; a foreign key used to refuse the insert, now the check does
        # (IntegrityError: the bridge drops its cache and tries again without the gone Datastream).
        kept, gone = Datastream.objects.get(pk=self.ds_a.pk), Datastream.objects.get(pk=self.ds_b.pk)
        self.send("DELETE", f"Datastreams({gone.pk})", None, 200)
        before = Observation.objects.count()
        rows = [ObservationRow({"phenomenon_time": START + dt.timedelta(days=50), "result": 1.0, "result_number": 1.0})]
        with self.assertRaises(IntegrityError):
            observations_ingest(actor=self.system_user, batches=[(kept, rows), (gone, rows)])
        self.assertEqual(Observation.objects.count(), before)
        self.assertEqual(observations_ingest(actor=self.system_user, batches=[(kept, rows)]), 1)

    def test_deleting_a_datastream_a_feature_or_a_thing_removes_their_observations(self):
        self.assertTrue(Observation.objects.filter(datastream_id=self.ds_a.pk).exists())
        self.send("DELETE", f"Datastreams({self.ds_a.pk})", None, 200)
        self.assertFalse(Observation.objects.filter(datastream_id=self.ds_a.pk).exists())
        feature = Observation.objects.filter(datastream_id=self.ds_b.pk).values_list("feature_of_interest", flat=True)[
            0
        ]
        self.send("DELETE", f"FeaturesOfInterest({feature})", None, 200)
        self.assertFalse(Observation.objects.filter(feature_of_interest_id=feature).exists())
        self.create([self.ds_b.pk], 201)  # a new generated FeatureOfInterest
        self.assertEqual(Observation.objects.filter(datastream_id=self.ds_b.pk).count(), 5)
        self.send("DELETE", f"Things({self.beta.pk})", None, 200)
        self.assertFalse(Observation.objects.exists())
