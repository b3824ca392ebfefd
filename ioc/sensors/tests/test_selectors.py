"""R5.5, R6.1: the latest state, `datastream_aggregate` over DHIS2 periods, and the map hooks
(`sensors_counts_in_area`, `sensors_features`) with each viewer's visibility."""

import datetime as dt
from unittest import mock

from django.test import TestCase
from pyproj import Geod

from ioc.geo.models import AdminUnit
from ioc.geo.selectors import area_from_circle, area_from_unit
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, Thing
from ioc.sensors.periods import period_bounds
from ioc.sensors.selectors import (
    datastream_aggregate,
    datastream_latest,
    sensors_counts_in_area,
    sensors_features,
    sensors_map_version,
    viewer_for,
)
from ioc.sensors.services import ObservationRow, entity_create, observations_create
from ioc.sensors.tests.sta_support import COMMUNE, StaClient, point_in, thing_payload

GEOD = Geod(ellps="WGS84")  # the ellipsoid of ioc.geo.index, for distances the tests check

LOCAL = dt.timezone(dt.timedelta(hours=7))


class SelectorTest(StaClient, TestCase):
    stream: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        viewer = viewer_for(cls.system_user)
        for name, sensitivity, kind in (("Công khai", None, "air"), ("Nội bộ", "internal", "water")):
            draft = parse_draft("Things", thing_payload(name, sensitivity=sensitivity, kind=kind))
            entity_create(actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer, draft=draft)
        cls.stream = Datastream.objects.get(thing__name="Công khai")
        # 23:00 on 14 July local (16:00 UTC) and 00:30 on 15 July local: two different local days.
        times = [dt.datetime(2025, 7, 14, 23, 0, tzinfo=LOCAL), dt.datetime(2025, 7, 15, 0, 30, tzinfo=LOCAL)]
        rows = [
            ObservationRow({"phenomenon_time": t, "result": v, "result_number": v})
            for t, v in zip(times, (4, 8), strict=True)
        ]
        observations_create(
            actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer, batches=[(cls.stream.pk, rows)]
        )
        cls.stream.refresh_from_db()

    def test_the_latest_state_is_read_from_the_datastream(self):
        with self.assertNumQueries(0):
            latest = datastream_latest(datastream=self.stream)
        self.assertEqual((latest["value"], latest["unit"]), (8, "µg/m³"))
        self.assertEqual(latest["time"], dt.datetime(2025, 7, 15, 0, 30, tzinfo=LOCAL))

    def test_aggregates_by_local_periods(self):
        day = datastream_aggregate(datastream=self.stream, period="20250714")
        self.assertEqual((day["count"], day["max"]), (1, 4))
        month = datastream_aggregate(datastream=self.stream, period="202507")
        self.assertEqual((month["count"], month["min"], month["max"], month["mean"], month["sum"]), (2, 4, 8, 6, 12))
        self.assertEqual(datastream_aggregate(datastream=self.stream, period="2025W29")["count"], 2)
        self.assertEqual(datastream_aggregate(datastream=self.stream, period="2025Q3")["count"], 2)
        self.assertEqual(datastream_aggregate(datastream=self.stream, period="2025S2")["count"], 2)
        self.assertEqual(datastream_aggregate(datastream=self.stream, period="2024")["count"], 0)
        with self.assertRaises(ValueError):
            datastream_aggregate(datastream=self.stream, period="2025-07")

    def test_period_bounds(self):
        start, end = period_bounds("2025W01")
        self.assertEqual((start.date().isoformat(), end.date().isoformat()), ("2024-12-30", "2025-01-06"))
        start, end = period_bounds("2025Q4")
        self.assertEqual((start.month, end.year, end.month), (10, 2026, 1))

    def test_counts_in_an_area_follow_visibility(self):
        area = area_from_unit(AdminUnit.objects.get(hierarchy="2025", code=COMMUNE))
        self.assertEqual(
            sensors_counts_in_area(user=None, area=area), {"total": 1, "by_kind": {"air": 1}, "cameras": 0}
        )
        self.assertEqual(
            sensors_counts_in_area(user=self.system_user, area=area),
            {"total": 2, "by_kind": {"air": 1, "water": 1}, "cameras": 0},
        )
        lon, lat = point_in()
        small = area_from_circle(lat + 0.05, lon + 0.05, 100)
        self.assertEqual(sensors_counts_in_area(user=self.system_user, area=small)["total"], 0)

    def test_a_circles_counts_are_the_same_when_its_border_is_sorted_in_sql(self):
        lon, lat = point_in()
        _fwd, _back, distance = GEOD.inv(lon + 0.0002, lat + 0.0002, lon, lat)
        for radius in (30.0, distance / 0.9995, 400.0, 3000.0):  # the second puts the stations on the ring
            area = area_from_circle(lat + 0.0002, lon + 0.0002, radius)
            plain = sensors_counts_in_area(user=self.system_user, area=area)
            with mock.patch("ioc.geo.areas.RING_MIN_ROWS", 0):  # issue 20: the ring's statement, through the join
                self.assertEqual(sensors_counts_in_area(user=self.system_user, area=area), plain, radius)

    def test_features_carry_the_latest_values(self):
        lon, lat = point_in()
        bbox = (lat - 0.01, lon - 0.01, lat + 0.01, lon + 0.01)
        [feature] = sensors_features(user=None, bbox=bbox)
        self.assertEqual(feature["name"], "Công khai")
        self.assertEqual(feature["datastreams"][0]["value"], 8)
        self.assertEqual(len(sensors_features(user=self.system_user, bbox=bbox)), 2)
        self.assertEqual(sensors_features(user=None, bbox=(0, 0, 1, 1)), [])
        self.assertEqual(Thing.objects.count(), 2)

    def test_the_map_version_moves_with_a_new_station_and_by_the_minute_of_readings(self):
        """Issue 20: the wall screen reloads the sensors layer when a station is added, and while readings
        arrive at most once per SENSORS_REDRAW_SECONDS (the band colours follow the latest values)."""
        viewer = viewer_for(self.system_user)
        before = sensors_map_version()
        self.assertEqual(sensors_map_version(), before)
        latest = self.stream.latest_time
        rows = [ObservationRow({"phenomenon_time": latest + dt.timedelta(minutes=5), "result": 9, "result_number": 9})]
        observations_create(
            actor=self.system_user, agency_id=self.agency_a.pk, viewer=viewer, batches=[(self.stream.pk, rows)]
        )
        moved = sensors_map_version()
        self.assertNotEqual(moved, before)
        draft = parse_draft("Things", thing_payload("Trạm mới", kind="air"))
        entity_create(actor=self.system_user, agency_id=self.agency_a.pk, viewer=viewer, draft=draft)
        self.assertNotEqual(sensors_map_version(), moved)
