"""R5.2: the camera registry and its events API: merge within the cooldown, the confidence threshold raising
`camera.<type>` into the inbox, the silent-camera flag, and refusals in the shared API error body (another
agency's camera, a future event, a non-http(s) snapshot URL) with nothing written."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.common.testing import frozen
from ioc.geo.selectors import area_from_circle
from ioc.incidents.models import Alert
from ioc.sensors.models import Camera, CameraEvent
from ioc.sensors.selectors import cameras_features, sensors_counts_in_area
from ioc.sensors.services import camera_create, cameras_flag_silent
from ioc.sensors.tests.sta_support import StaClient, point_in

URL = "/api/v1/sensors/cameras/events/"
T0 = dt.datetime(2025, 7, 14, 8, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


class CameraTest(StaClient, TestCase):
    camera: Camera

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        lon, lat = point_in()
        cls.camera = camera_create(
            actor=cls.operator, code="ngã-tư-1".replace("ã", "a").replace("ư", "u"), agency=cls.agency_a,
            name="Ngã tư trung tâm", lat=lat, lon=lon, direction=90,
            stream_url="rtsp://cam.example.invalid/1", snapshot_url="https://cam.example.invalid/1.jpg",
        )  # fmt: skip
        camera_create(actor=cls.operator, code="cam-b", agency=cls.agency_b, name="Camera sở B", lat=lat, lon=lon)

    def post(self, body: dict[str, Any], status: int, now: dt.datetime = T0) -> Any:
        payload = {"camera": self.camera.code, "type": "crowd", "time": T0.isoformat(), "confidence": 0.9, **body}
        with frozen(now):
            headers: Any = self.bearer()
            response = self.client.post(URL, json.dumps(payload), content_type="application/json", **headers)
        self.assertEqual(response.status_code, status, response.content[:400])
        return response.json() if response.content else None

    def test_an_event_above_the_threshold_raises_one_alert_and_repeats_in_the_cooldown_merge(self) -> None:
        first = self.post({}, 201)
        self.assertTrue(first["alert_raised"])
        second = self.post({"time": at(5).isoformat(), "confidence": 0.95}, 201, now=at(5))
        self.assertEqual((second["id"], second["count"], second["confidence"]), (first["id"], 2, 0.95))
        self.assertEqual(list(Alert.objects.values_list("kind", "source", "count")), [("camera.crowd", "cameras", 1)])
        self.post({"time": at(30).isoformat()}, 201, now=at(30))  # after the 10-minute cooldown: a new event
        self.assertEqual(CameraEvent.objects.count(), 2)
        self.camera.refresh_from_db()
        self.assertEqual(self.camera.last_seen_at, at(30))

    def test_an_event_below_the_threshold_is_kept_without_an_alert(self) -> None:
        self.post({"confidence": 0.3}, 201)
        self.assertEqual(CameraEvent.objects.count(), 1)
        self.assertFalse(Alert.objects.exists())

    def test_an_event_of_another_agencys_camera_is_refused(self) -> None:
        body = self.post({"camera": "cam-b"}, 403)
        self.assertIn("error", body)
        self.assertFalse(CameraEvent.objects.exists())

    def test_future_events_bad_snapshots_and_unknown_types_name_their_field(self) -> None:
        cases = (
            ({"time": at(60).isoformat()}, "time"),
            ({"snapshot_url": "file:///etc/passwd"}, "snapshot_url"),
            ({"snapshot_url": "rtsp://cam.example.invalid/x"}, "snapshot_url"),
            ({"type": "ufo"}, "type"),
            ({"confidence": 1.5}, "confidence"),
            ({"camera": "khong-co"}, "camera"),
        )
        for body, field in cases:
            with self.subTest(field=field, body=body):
                error = self.post(body, 400)["error"]
                self.assertIn(field, error["fields"])
        self.assertFalse(CameraEvent.objects.exists())
        self.assertFalse(Alert.objects.exists())

    def test_a_token_without_the_scope_is_refused(self) -> None:
        self.sign_in(self.client, self.operator)
        response = self.client.post(URL, "{}", content_type="application/json")
        self.assertIn(response.status_code, (401, 403))

    def test_a_heartbeat_refreshes_the_last_signal_and_a_silent_camera_is_flagged_once(self) -> None:
        self.post({"type": "heartbeat", "confidence": None}, 204)
        self.assertEqual(cameras_flag_silent(now=at(4)), 0)
        self.assertEqual(cameras_flag_silent(now=at(6)), 1)
        self.assertEqual(cameras_flag_silent(now=at(7)), 0)
        self.post({"type": "heartbeat", "time": at(8).isoformat()}, 204, now=at(8))
        self.camera.refresh_from_db()
        self.assertIsNone(self.camera.silent_since)

    def test_the_registry_refuses_a_snapshot_url_that_is_not_http(self) -> None:
        lon, lat = point_in()
        with self.assertRaises(ValidationError) as caught:
            camera_create(actor=self.operator, code="x", agency=self.agency_a, name="X", lat=lat, lon=lon,
                          snapshot_url="ftp://cam.example.invalid/a.jpg")  # fmt: skip
        self.assertIn("snapshot_url", caught.exception.message_dict)
        self.assertFalse(Camera.objects.filter(code="x").exists())

    def test_the_camera_layer_follows_sensitivity(self) -> None:
        box = (self.camera.lat - 0.1, self.camera.lon - 0.1, self.camera.lat + 0.1, self.camera.lon + 0.1)
        self.assertEqual(cameras_features(user=None, bbox=box), [])  # internal by default
        seen = cameras_features(user=self.operator, bbox=box)
        self.assertEqual({c["code"] for c in seen}, {self.camera.code, "cam-b"})
        self.assertEqual(self.camera.unit.hierarchy, "2025")
        area = area_from_circle(self.camera.lat, self.camera.lon, 500)
        self.assertEqual(sensors_counts_in_area(user=self.operator, area=area)["cameras"], 2)
        self.assertEqual(sensors_counts_in_area(user=None, area=area)["cameras"], 0)
