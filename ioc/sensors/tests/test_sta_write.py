"""Writes at /sta/v1.1/: deep insert, creation through navigation paths, the generated FeatureOfInterest, the
latest state kept current, dataArray, PATCH, PUT, DELETE, and one audit entry per request."""

from typing import Any

from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.sensors.models import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    Observation,
    ObservedProperty,
    Sensor,
    Thing,
)
from ioc.sensors.tests.sta_support import StaClient, thing_payload


class DeepInsertTest(StaClient, TestCase):
    def test_a_thing_with_its_location_datastream_sensor_and_observed_property_in_one_post(self):
        response = self.client.post(
            "/sta/v1.1/Things",
            data=thing_payload("Trạm 1", ext_id="tram-1"),
            content_type="application/json",
            **self.auth(),
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response["Location"], "http://testserver/sta/v1.1/Things('tram-1')")
        thing = Thing.objects.get(ext_id="tram-1")
        self.assertEqual(thing.agency, self.agency_a)
        place = Location.objects.get(things=thing)
        self.assertEqual(place.unit.code if place.unit else None, "11953")
        self.assertTrue(place.grid_cell)
        self.assertEqual(HistoricalLocation.objects.filter(thing=thing).count(), 1)
        stream = Datastream.objects.get(thing=thing)
        self.assertEqual((stream.sensor.name, stream.observed_property.name), ("PMS5003", "PM2.5"))
        entry = AuditEntry.objects.get(action="sensors.thing.create")
        self.assertEqual(entry.actor, self.system_user)
        self.assertEqual(
            entry.changes["created"],
            {"Things": 1, "Locations": 1, "Datastreams": 1, "Sensors": 1, "ObservedProperties": 1},
        )

    def test_linking_existing_entities_by_id(self):
        self.send("POST", "Things", thing_payload("Trạm 1"), 201)
        body = thing_payload("Trạm 2")
        body["Locations"] = [{"@iot.id": Location.objects.get().pk}]
        body["Datastreams"][0]["Sensor"] = {"@iot.id": Sensor.objects.get().pk}
        body["Datastreams"][0]["ObservedProperty"] = {"@iot.id": ObservedProperty.objects.get().pk}
        self.send("POST", "Things", body, 201)
        self.assertEqual((Location.objects.count(), Sensor.objects.count(), Datastream.objects.count()), (1, 1, 2))

    def test_a_datastream_and_an_observation_posted_through_navigation_paths(self):
        self.send("POST", "Things", thing_payload("Trạm 1", ext_id="t1"), 201)
        stream_body = {
            "name": "Nhiệt độ",
            "description": "Nhiệt độ không khí",
            "unitOfMeasurement": {"name": "degree Celsius", "symbol": "°C", "definition": "ucum:Cel"},
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "Sensor": {"@iot.id": Sensor.objects.get().pk},
            "ObservedProperty": {"@iot.id": ObservedProperty.objects.get().pk},
        }
        created = self.send("POST", "Things('t1')/Datastreams", stream_body, 201)
        stream = Datastream.objects.get(pk=created["@iot.id"])
        self.assertEqual(stream.thing.ext_id, "t1")
        observation = self.send(
            "POST",
            f"Datastreams({stream.pk})/Observations",
            {"phenomenonTime": "2025-07-01T08:00:00+07:00", "result": 31.5},
            201,
        )
        obs = Observation.objects.get(pk=observation["@iot.id"])
        self.assertEqual(obs.feature_of_interest.source_location, Location.objects.get())
        stream.refresh_from_db()
        self.assertEqual((stream.latest_value, stream.latest_result), (31.5, 31.5))
        self.assertEqual(stream.latest_time.isoformat(), "2025-07-01T01:00:00+00:00")
        self.assertEqual(
            self.get_json(f"Datastreams({stream.pk})")["phenomenonTime"], "2025-07-01T01:00:00Z/2025-07-01T01:00:00Z"
        )


class ObservationTest(StaClient, TestCase):
    def setUp(self) -> None:
        self.send("POST", "Things", thing_payload("Trạm 1"), 201)
        self.stream = Datastream.objects.get()

    def post(self, body: dict[str, Any], status: int = 201) -> Any:
        return self.send("POST", "Observations", {"Datastream": {"@iot.id": self.stream.pk}, **body}, status)

    def test_an_observations_datastream_given_whole_is_a_link_by_its_id(self):
        # frost-sta-client sends the Datastream it read, properties and all (docs/decisions/0007).
        stream = Datastream.objects.get()
        linked = {"@iot.id": stream.pk, "name": "không đổi", "description": "x", "unitOfMeasurement": {}}
        self.send(
            "POST", "Observations", {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "Datastream": linked}, 201
        )
        self.assertEqual(Observation.objects.get().datastream_id, stream.pk)
        stream.refresh_from_db()
        self.assertNotEqual(stream.name, "không đổi")
        missing = {"@iot.id": 999_999, "name": "x"}
        body = {"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1, "Datastream": missing}
        self.assertIn("Datastream(999999)", self.error_message("POST", "Observations", body, 400))

    def test_the_feature_of_interest_is_generated_once_from_the_location(self):
        self.post({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1})
        self.post({"phenomenonTime": "2025-07-01T00:15:00Z", "result": 2})
        self.assertEqual(FeatureOfInterest.objects.count(), 1)
        self.assertEqual(FeatureOfInterest.objects.get().feature, Location.objects.get().location)

    def test_the_latest_state_follows_the_newest_reading_not_the_last_written(self):
        self.post({"phenomenonTime": "2025-07-01T01:00:00Z", "result": 5})
        self.post({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 3})
        self.stream.refresh_from_db()
        self.assertEqual(self.stream.latest_value, 5)
        self.assertEqual(
            (self.stream.phenomenon_start.hour, self.stream.phenomenon_end.hour),
            (0, 1),
        )

    def test_create_observations_with_a_data_array(self):
        feature = self.send(
            "POST",
            "FeaturesOfInterest",
            {
                "name": "Sông",
                "description": "Đoạn sông",
                "encodingType": "application/geo+json",
                "feature": {"type": "Point", "coordinates": [106.05, 20.66]},
            },
            201,
        )["@iot.id"]
        body = [
            {
                "Datastream": {"@iot.id": self.stream.pk},
                "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
                "dataArray@iot.count": 3,
                "dataArray": [
                    ["2025-07-01T00:00:00Z", 10, feature],
                    ["2025-07-01T00:15:00Z", 12.5, feature],
                    ["2025-07-01T00:30:00Z", 11, feature],
                ],
            }
        ]
        links = self.send("POST", "CreateObservations", body, 201)
        self.assertEqual(len(links), 3)
        self.assertTrue(links[0].startswith("http://testserver/sta/v1.1/Observations("))
        stored = list(Observation.objects.order_by("pk").values_list("pk", "result", "phenomenon_time"))
        self.assertEqual([f"http://testserver/sta/v1.1/Observations({pk})" for pk, _r, _t in stored], links)
        self.assertEqual([r for _pk, r, _t in stored], [10, 12.5, 11])
        self.assertEqual(stored[1][2].isoformat(), "2025-07-01T00:15:00+00:00")
        self.stream.refresh_from_db()
        self.assertEqual(self.stream.latest_value, 11)
        entry = AuditEntry.objects.get(action="sensors.observation.create_bulk")
        self.assertEqual((entry.row_count, entry.changes["observations"]), (1, 3))

    def test_the_latest_state_is_read_again_when_the_newest_is_changed_or_deleted(self):
        self.post({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1})
        newest = self.post({"phenomenonTime": "2025-07-01T01:00:00Z", "result": 2})
        self.send("PATCH", f"Observations({newest['@iot.id']})", {"phenomenonTime": "2025-06-30T00:00:00Z"}, 200)
        self.stream.refresh_from_db()
        self.assertEqual(self.stream.latest_value, 1)
        self.send("DELETE", f"Observations({newest['@iot.id']})", None, 200)
        first = Observation.objects.get()
        self.send("DELETE", f"Observations({first.pk})", None, 200)
        self.stream.refresh_from_db()
        self.assertEqual((self.stream.latest_value, self.stream.latest_time), (None, None))

    def test_patch_put_and_delete(self):
        obs = self.post({"phenomenonTime": "2025-07-01T00:00:00Z", "result": 1})
        changed = self.send("PATCH", f"Observations({obs['@iot.id']})", {"result": 4}, 200)
        self.assertEqual(changed["result"], 4)
        self.stream.refresh_from_db()
        self.assertEqual(self.stream.latest_value, 4)
        thing = Thing.objects.get()
        self.send("PATCH", f"Things({thing.pk})", {"properties": {"kind": "rain"}}, 200)
        thing.refresh_from_db()
        self.assertEqual(thing.properties, {"kind": "rain"})
        self.send("PUT", f"Things({thing.pk})", {"name": "Mới", "description": "Thay toàn bộ"}, 200)
        thing.refresh_from_db()
        self.assertEqual((thing.name, thing.properties), ("Mới", None))
        self.send("DELETE", f"Things({thing.pk})", None, 200)
        self.assertFalse(Thing.objects.exists())
        self.assertFalse(Observation.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(action="sensors.thing.delete").exists())

    def test_a_thing_moved_gets_a_historical_location(self):
        thing = Thing.objects.get()
        other = self.send(
            "POST",
            "Locations",
            {
                "name": "Chỗ mới",
                "description": "Sau khi di dời",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [106.06, 20.67]},
            },
            201,
        )
        self.send("PATCH", f"Things({thing.pk})", {"Locations": [{"@iot.id": other["@iot.id"]}]}, 200)
        self.assertEqual(list(thing.locations.values_list("name", flat=True)), ["Chỗ mới"])
        self.assertEqual(HistoricalLocation.objects.filter(thing=thing).count(), 2)
