"""R5.5, R11: the demo's live sensors. `sensors_simulate` publishes one reading per live Datastream per round,
continuing its series, and the readings reach the database through a real Mosquitto (the demo's login and ACL)
and the bridge; a silent Datastream stays silent."""

import datetime as dt
import random
import tempfile
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from ioc.sensors.management.commands.mqtt_bridge import bridge_client
from ioc.sensors.models import Datastream
from ioc.sensors.mqtt import Bridge
from ioc.sensors.simulate import RAIN, Series, live_series
from ioc.sensors.tests.mqtt_broker import mosquitto_broker
from ioc.sensors.tests.sta_support import StaClient, thing_payload
from ioc.sensors.tests.test_mqtt_bridge import drive

LOGIN = {"MQTT_USERNAME": "ioc-bridge", "MQTT_PASSWORD": "demo-secret"}


class SeriesTest(TestCase):
    def test_values_stay_near_their_start_and_within_bounds(self):
        rng = random.Random(1)
        pm25 = Series("t", "PM25", 30.0, 30.0)
        values = [pm25.step(rng) for _ in range(2000)]
        self.assertTrue(all(2.0 <= v <= 300.0 for v in values))
        self.assertLess(abs(sum(values) / len(values) - 30.0), 3.0)
        level = Series("t", "WLEV", 2.5, 2.5)
        self.assertTrue(all(abs(level.step(rng) - 2.5) < 0.2 for _ in range(500)))

    def test_rain_falls_in_showers_that_end(self):
        rng = random.Random(2)
        rain = Series("t", RAIN, 0.0, 0.0)
        values = [rain.step(rng) for _ in range(3000)]
        self.assertTrue(all(v >= 0 for v in values))
        self.assertGreater(sum(1 for v in values if v > 0), 10)
        self.assertGreater(sum(1 for v in values if v == 0), 2000)


class SimulateTest(StaClient, TestCase):
    def setUp(self) -> None:
        super().setUp()
        for name in ("Sống", "Im"):
            self.send("POST", "Things", thing_payload(name), 201)
        self.live, self.silent = Datastream.objects.order_by("pk")
        now = timezone.now()
        for stream, when in ((self.live, now - dt.timedelta(minutes=15)), (self.silent, now - dt.timedelta(days=3))):
            body = {"Datastream": {"@iot.id": stream.pk}, "result": 40.0, "phenomenonTime": when.isoformat()}
            self.send("POST", "Observations", body, 201)

    def test_only_datastreams_heard_from_within_a_day_of_the_newest_are_live(self):
        series = live_series()
        self.assertEqual([s.topic for s in series], [f"v1.1/Datastreams({self.live.pk})/Observations"])
        self.assertEqual((series[0].quantity, series[0].value), ("pm25", 40.0))

    def test_a_demo_loaded_days_ago_is_still_live(self):
        Datastream.objects.update(latest_time=timezone.now() - dt.timedelta(days=9))
        Datastream.objects.filter(pk=self.silent.pk).update(latest_time=timezone.now() - dt.timedelta(days=12))
        self.assertEqual([s.topic for s in live_series()], [f"v1.1/Datastreams({self.live.pk})/Observations"])

    def test_bad_arguments_are_refused_and_nothing_live_publishes_nothing(self):
        with self.assertRaises(CommandError):
            call_command("sensors_simulate", "--interval", "-1", stdout=StringIO())
        Datastream.objects.update(latest_value=None)
        out, err = StringIO(), StringIO()
        call_command("sensors_simulate", "--rounds", "2", "--interval", "0", stdout=out, stderr=err)
        self.assertIn("no live Datastream", err.getvalue())
        self.assertIn("0 readings in 2 rounds", out.getvalue())

    @pytest.mark.broker
    def test_the_simulated_readings_reach_the_database_through_the_broker_and_the_bridge(self):
        with tempfile.TemporaryDirectory() as root:
            files = (Path(root) / "passwd", Path(root) / "acl")
            with override_settings(**LOGIN):
                call_command("mqtt_sync_acl", "--password-file", files[0], "--acl-file", files[1], stdout=StringIO())
            with mosquitto_broker(files) as broker, override_settings(**LOGIN, MQTT_HOST=broker.host):
                bridge = Bridge(actor=self.system_account, batch_seconds=0.05)
                with override_settings(MQTT_SHARE_GROUP="demo"):
                    client = bridge_client(bridge)
                subscribed: list[bool] = []
                client.on_subscribe = lambda *args: subscribed.append(True)
                client.connect(broker.host, broker.port)
                client.loop_start()
                self.addCleanup(client.loop_stop)
                deadline = time.monotonic() + 5
                while not subscribed and time.monotonic() < deadline:
                    time.sleep(0.02)
                with override_settings(MQTT_PORT=broker.port):
                    out = StringIO()
                    call_command("sensors_simulate", "--rounds", "3", "--interval", "0", "--seed", "7", stdout=out)
                drive([bridge], lambda: bridge.counters.stored >= 3)
                drive([bridge], lambda: False, seconds=0.3)
        self.assertIn("3 readings in 3 rounds", out.getvalue())
        self.assertEqual(bridge.counters.stored, 3)
        self.assertEqual(self.silent.observations.count(), 1)
        values = list(self.live.observations.order_by("pk").values_list("result", flat=True))[1:]
        self.assertEqual(len(values), 3)
        self.assertTrue(all(isinstance(v, float) and 20 < v < 60 for v in values), values)
        self.live.refresh_from_db()
        self.assertGreater(self.live.latest_time, timezone.now() - dt.timedelta(minutes=1))
