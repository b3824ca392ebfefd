"""Issue 11 "Speed": every new observation maintains as few indexes as the reads need. The (datastream,
phenomenon_time) index serves every look-up by Datastream, so the foreign key's own single-column index is gone
(migration 0009), and reads by Datastream still use an index."""

from typing import Any

from django.db import connection
from django.test import TestCase


class ObservationIndexesTest(TestCase):
    def constraints(self) -> dict[str, Any]:
        with connection.cursor() as cursor:
            return dict(connection.introspection.get_constraints(cursor, "sensors_observation"))

    def test_the_datastream_is_indexed_once_leading_the_time_index(self):
        indexes = {name: info["columns"] for name, info in self.constraints().items() if info["index"]}
        self.assertNotIn(["datastream_id"], list(indexes.values()))
        self.assertEqual(indexes.get("sensors_obs_ds_time"), ["datastream_id", "phenomenon_time"])
        self.assertIn(["feature_of_interest_id"], list(indexes.values()))
