"""`./manage.py mqtt_bridge`: store the observations published on the broker (R5.5, SensorThings MQTT extension).

Connects with MQTT 5 to `MQTT_HOST:MQTT_PORT` (credentials `MQTT_USERNAME`/`MQTT_PASSWORD`), subscribes at QoS 1
to `$share/<MQTT_SHARE_GROUP>/v1.1/+/Observations` with manual acknowledgements, and commits in
batches (`ioc.sensors.mqtt.Bridge`). Stops cleanly on SIGTERM or SIGINT after the batch in progress.

`--workers N` runs N bridges as child processes of this one (`ioc.sensors.workers.supervise`), each with its own
client id (`<MQTT_CLIENT_ID>-<k>`) and persistent session on the same shared subscription, so the broker splits the
stream between them (one core each; on SQLite they parse and validate in parallel and take turns at the write
lock). A child that dies is started again under the same id (its session gets back what it had not acknowledged);
a child whose parent is gone stops. Keep N stable: a session whose id never returns holds its unacknowledged
messages until it expires (a day).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from ioc.accounts.selectors import system_account
from ioc.sensors.mqtt import Bridge, shared_subscription
from ioc.sensors.workers import supervise

SESSION_EXPIRY_S = 24 * 3600


def bridge_client(bridge: Bridge, *, client_id: str = "") -> mqtt.Client:
    """A paho client wired to the bridge: MQTT 5, manual acknowledgements, (re)subscribing on every connect. With
    a `client_id`, its session outlives the process (`bridge_connect`): a bridge killed before acknowledging gets
    those messages again when it comes back under the same id."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True)
    if settings.MQTT_USERNAME:
        client.username_pw_set(settings.MQTT_USERNAME, settings.MQTT_PASSWORD or None)
    topic = shared_subscription(settings.MQTT_SHARE_GROUP)

    def on_connect(client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        client.subscribe(topic, qos=1)

    client.on_connect = on_connect
    client.on_message = bridge.on_message
    return client


def bridge_connect(client: mqtt.Client, host: str, port: int, *, persistent: bool) -> None:
    """Connect; a persistent session (no clean start, a day's expiry) keeps unacknowledged messages."""
    properties = None
    if persistent:
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        properties.SessionExpiryInterval = SESSION_EXPIRY_S
    client.connect(host, port, clean_start=not persistent, properties=properties)


def serve(*, client_id: str, batch_max: int, batch_ms: int, out: OutputWrapper, parent: int | None = None) -> None:
    """One bridge until SIGTERM or SIGINT (or, for a child, until its parent `parent` is gone)."""
    bridge = Bridge(actor=system_account(), batch_max=batch_max, batch_seconds=batch_ms / 1000)
    client = bridge_client(bridge, client_id=client_id)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    bridge_connect(client, settings.MQTT_HOST, settings.MQTT_PORT, persistent=True)
    client.loop_start()
    out.write(f"mqtt_bridge: {settings.MQTT_HOST}:{settings.MQTT_PORT} as {client_id}")
    out.flush()
    try:
        while not stop.is_set() and (parent is None or os.getppid() == parent):
            bridge.run_once(wait=0.5)
    finally:
        client.loop_stop()
        client.disconnect()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    counters = bridge.counters
    out.write(
        f"mqtt_bridge {client_id}: stored={counters.stored} rejected={counters.rejected}"
        f" duplicates={counters.duplicates} {counters.reasons}"
    )
    out.flush()


class Command(BaseCommand):
    help = "Nhận số liệu quan trắc qua MQTT / Store observations published over MQTT (R5.5)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-max", type=int, default=1000, help="tin mỗi giao dịch / messages per commit")
        parser.add_argument("--batch-ms", type=int, default=200, help="ms tối đa mỗi lô / ms per batch at most")
        parser.add_argument(
            "--workers", type=int, default=1, help="số tiến trình chia luồng tin / bridge processes sharing the topics"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base = settings.MQTT_CLIENT_ID or f"ioc-bridge-{socket.gethostname()}"
        batch = {"batch_max": options["batch_max"], "batch_ms": options["batch_ms"]}
        workers = options["workers"]
        if workers < 1:
            raise CommandError("--workers: ít nhất 1 / at least 1")
        if workers == 1:
            serve(client_id=base, out=self.stdout, **batch)
            return
        parent = os.getpid()

        def child(k: int) -> None:
            serve(client_id=f"{base}-{k}", out=self.stdout, parent=parent, **batch)

        self.stdout.write(f"mqtt_bridge: {workers} workers")
        self.stdout.flush()
        supervise(count=workers, target=child)
