"""R5.5, R11: the sensor demo — stations of each kind in the profile's communes, months of 15-minute readings
(history in bulk with one audit entry per Datastream, the last 14 days through the services), a flood, silent
sensors, a police station internal by default; within 60 s, idempotent."""

import base64
import datetime as dt
import io
import re
import tempfile
from typing import Any

from django.core.management import call_command
from django.db.models import Count, Max
from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.common.testing import settle_deferred_constraints
from ioc.geo.models import Territory
from ioc.sensors import demo
from ioc.sensors.models import Datastream, Location, Observation, Thing
from ioc.sensors.selectors import ANONYMOUS, visible


def demo_load() -> dict[str, Any]:
    out = io.StringIO()
    call_command("demo_load", "--profile", "hung-yen", "--no-units", "--only", "demo", "--only", "sensors", stdout=out)
    line = re.search(r"^demo_load: ioc\.sensors\.demo \(([\d.]+) s\) (.*)$", out.getvalue(), re.M)
    assert line is not None, out.getvalue()[-2000:]
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", line.group(2))}
    token = re.search(r"^Information-system token: (\S+)$", out.getvalue(), re.M)
    return {**figures, "seconds": float(line.group(1)), "token": token.group(1) if token else ""}


class SensorDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.var = tempfile.TemporaryDirectory()
        cls.settings = override_settings(VAR_DIR=cls.var.name, MEDIA_ROOT=cls.var.name + "/media")
        cls.settings.enable()
        cls.result = demo_load()
        settle_deferred_constraints()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.settings.disable()
        cls.var.cleanup()

    def test_it_reports_its_figures(self):
        # Its 60 s budget is timed by `demo_load` (a warning) and by the slow all-profiles test, not here: no test
        # of the suite depends on the machine's speed.
        print("sensors demo:", self.result)
        days = demo.HISTORY_DAYS * 96
        self.assertGreater(self.result["observations_history"], 0.8 * days * 13)
        self.assertEqual(
            Observation.objects.count(), self.result["observations_history"] + self.result["observations_recent"]
        )

    def test_stations_of_every_kind_sit_in_the_territory(self):
        kinds = {t.properties["kind"] for t in Thing.objects.all()}
        self.assertEqual(kinds, {"air_quality", "water_level", "rain", "weather", "traffic_noise"})
        communes = set(Territory.objects.get(profile="hung-yen").communes.values_list("pk", flat=True))
        self.assertTrue(all(unit in communes for unit in Location.objects.values_list("unit_id", flat=True)))

    def test_the_police_station_is_internal_by_its_agencys_default(self):
        noise = Thing.objects.get(properties__kind="traffic_noise")
        self.assertEqual(noise.agency.default_sensitivity, "internal")
        self.assertFalse(visible(Thing, ANONYMOUS).filter(pk=noise.pk).exists())
        self.assertTrue(visible(Thing, ANONYMOUS).filter(properties__kind="rain").exists())

    def test_latest_state_flood_and_silent_sensors(self):
        newest = Observation.objects.aggregate(t=Max("phenomenon_time"))["t"]
        for stream in Datastream.objects.all():
            last = Observation.objects.filter(datastream=stream).order_by("-phenomenon_time").first()
            self.assertEqual((stream.latest_time, stream.latest_value), (last.phenomenon_time, last.result_number))
        silent = Datastream.objects.filter(latest_time__lt=newest - dt.timedelta(days=1)).count()
        self.assertEqual(silent, 2)
        levels = Observation.objects.filter(datastream__properties__quantity="level")
        storm_peak = levels.filter(phenomenon_time__gte=newest - dt.timedelta(days=25)).aggregate(
            m=Max("result_number")
        )["m"]
        before = levels.filter(phenomenon_time__lt=newest - dt.timedelta(days=26)).aggregate(m=Max("result_number"))[
            "m"
        ]
        self.assertGreater(storm_peak, before + 0.5)

    def test_history_is_audited_per_datastream_and_a_second_run_changes_nothing(self):
        entries = AuditEntry.objects.filter(action="sensors.observation.load_history")
        self.assertEqual(entries.count(), Datastream.objects.count())
        per_stream = Observation.objects.values("datastream").annotate(n=Count("pk"))
        self.assertTrue(all(row["n"] > 0 for row in per_stream))
        before = Observation.objects.count()
        again = demo_load()
        self.assertEqual(again.get("already_loaded"), 1)
        self.assertEqual(Observation.objects.count(), before)

    def test_the_printed_information_system_token_writes_by_bearer_and_basic(self):
        stream = Datastream.objects.filter(thing__properties__kind="rain").first()
        token = self.result["token"]
        body = {"Datastream": {"@iot.id": stream.pk}, "result": 0.5, "phenomenonTime": "2030-01-01T00:00:00Z"}
        basic = base64.b64encode(f"lgsp:{token}".encode()).decode()
        for header in (f"Bearer {token}", f"Basic {basic}"):
            response = self.client.post(
                "/sta/v1.1/Observations", data=body, content_type="application/json", HTTP_AUTHORIZATION=header
            )
            self.assertEqual(response.status_code, 201, response.content)

    def test_rules_cameras_and_their_alerts(self):
        from ioc.incidents.models import Alert
        from ioc.sensors.models import AlertRule, Camera, CameraEvent

        self.assertTrue(AlertRule.objects.filter(standard="VN_AQI").exists())
        gauges = Datastream.objects.filter(properties__quantity="level").count()
        self.assertEqual(AlertRule.objects.filter(kind="env.flood_level").count(), 3 * gauges)
        self.assertEqual(Camera.objects.count(), self.result["cameras"])
        self.assertEqual(Camera.objects.filter(silent_since__isnull=False).count(), 1)
        self.assertTrue(CameraEvent.objects.exists())
        self.assertTrue(Alert.objects.filter(source="cameras").exists())
        self.assertGreater(self.result["rules_fired"], 0)
        self.assertTrue(Alert.objects.filter(source="sensors").exists())
        self.assertEqual(Camera.objects.exclude(sensitivity="internal").count(), 0)
