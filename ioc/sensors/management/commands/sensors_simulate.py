"""`./manage.py sensors_simulate`: the demo's live sensors (R5.5, R11) — every `--interval` seconds one reading
per live Datastream, published at QoS 1 on `v1.1/Datastreams(<id>)/Observations` to `MQTT_HOST:MQTT_PORT` with
the `MQTT_USERNAME` login; `mqtt_bridge` stores them. `--rounds N` stops after N rounds (0: until SIGTERM/SIGINT).
With no live Datastream it publishes nothing and waits to be stopped (the demo's other processes keep running).
"""

from __future__ import annotations

import json
import random
import signal
import threading
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from ioc.sensors.simulate import Series, live_series


class Command(BaseCommand):
    help = "Mô phỏng số liệu cảm biến trực tiếp qua MQTT / Publish live demo sensor readings over MQTT (R5.5)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="giây giữa hai lượt / seconds between rounds")
        parser.add_argument("--rounds", type=int, default=0, help="số lượt, 0 = mãi / rounds, 0 = until stopped")
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0 or options["rounds"] < 0:
            raise CommandError("--interval và --rounds không âm / must not be negative")
        series = live_series()
        if not series:  # the demo keeps running: a profile may have no sensors
            self.stderr.write("sensors_simulate: không có luồng dữ liệu / no live Datastream: nothing to publish")
        rng = random.Random(options["seed"])  # noqa: S311 - simulated readings, no secret
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        client = self._client() if series else None
        self.stdout.write(f"sensors_simulate: {len(series)} Datastreams → {settings.MQTT_HOST}:{settings.MQTT_PORT}")
        published = rounds = 0
        try:
            while not stop.is_set() and (options["rounds"] == 0 or rounds < options["rounds"]):
                if client is not None:
                    published += self._round(client, series, rng)
                rounds += 1
                if options["rounds"] == 0 or rounds < options["rounds"]:
                    stop.wait(options["interval"])
        finally:
            if client is not None:
                client.loop_stop()
                client.disconnect()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"sensors_simulate: {published} readings in {rounds} rounds")

    @staticmethod
    def _client() -> mqtt.Client:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        if settings.MQTT_USERNAME:
            client.username_pw_set(settings.MQTT_USERNAME, settings.MQTT_PASSWORD or None)
        client.connect(settings.MQTT_HOST, settings.MQTT_PORT)
        client.loop_start()
        return client

    @staticmethod
    def _round(client: mqtt.Client, series: list[Series], rng: random.Random) -> int:
        """One reading per Datastream, all stamped now; returns when the broker has acknowledged them."""
        now = timezone.now().isoformat()
        infos = [
            client.publish(s.topic, json.dumps({"phenomenonTime": now, "result": s.step(rng)}), qos=1) for s in series
        ]
        for info in infos:
            info.wait_for_publish(10)
        return len(infos)
