"""New observations published back on their SensorThings topics (R5.5, MQTT extension): after the commit of an
HTTP or MQTT write, each new observation goes out on `v1.1/Datastreams(<id>)/Observations` (QoS 1, queued by
paho until connected) with the MQTT 5 user property `ioc-origin=server`, which the bridges ignore (they
subscribe to the same topics).

On only with `MQTT_PUBLISH` (a process without a broker, the tests, publishes nothing); one paho client per
process, connected lazily and kept by paho's network thread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

from django.conf import settings

ORIGIN = ("ioc-origin", "server")
_lock = threading.Lock()
_client: Any = None


def _connected() -> Any:
    global _client
    with _lock:
        if _client is None:
            import paho.mqtt.client as mqtt
            from paho.mqtt.enums import CallbackAPIVersion

            client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
            if settings.MQTT_USERNAME:
                client.username_pw_set(settings.MQTT_USERNAME, settings.MQTT_PASSWORD or None)
            client.connect_async(settings.MQTT_HOST, settings.MQTT_PORT)
            client.loop_start()
            _client = client
        return _client


def is_server_echo(message: Any) -> bool:
    """A message this server published (the bridge acknowledges it and stores nothing)."""
    properties = getattr(message, "properties", None)
    pairs = getattr(properties, "UserProperty", None) or []
    return ORIGIN in [tuple(pair) for pair in pairs]


def observations_publish(observations: Iterable[tuple[int, int, str, Any]]) -> int:
    """(datastream id, observation id, phenomenon time ISO, result) → one message each; how many were sent."""
    if not getattr(settings, "MQTT_PUBLISH", False):
        return 0
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    client = _connected()
    properties = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    properties.UserProperty = [ORIGIN]
    sent = 0
    for stream_id, pk, time_text, result in observations:
        body = {"@iot.id": pk, "phenomenonTime": time_text, "result": result}
        topic = f"v1.1/Datastreams({stream_id})/Observations"
        client.publish(topic, json.dumps(body), qos=1, properties=properties)
        sent += 1
    return sent


def close() -> None:
    """Disconnect this process's publisher (tests; a process that stops)."""
    global _client
    with _lock:
        if _client is not None:
            _client.loop_stop()
            _client.disconnect()
            _client = None
