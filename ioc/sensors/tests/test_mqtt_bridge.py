"""R5.5, the SensorThings MQTT extension through a real Mosquitto (the shipped config): observations published
on `v1.1/Datastreams(<id>)/Observations` are stored in batches, bad messages are counted rejections, and two
bridges on one shared subscription store each message once."""

import json
import time
from collections.abc import Callable

import paho.mqtt.client as mqtt
import pytest
from django.test import TestCase, override_settings
from paho.mqtt.enums import CallbackAPIVersion

from ioc.audit.models import AuditEntry
from ioc.sensors import publish
from ioc.sensors.drafts import parse_draft
from ioc.sensors.management.commands.mqtt_bridge import bridge_client, bridge_connect
from ioc.sensors.models import Datastream, Observation
from ioc.sensors.mqtt import Bridge
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import entity_create
from ioc.sensors.tests.mqtt_broker import mosquitto_broker
from ioc.sensors.tests.sta_support import StaClient, thing_payload

pytestmark = pytest.mark.broker


def publisher(host: str, port: int) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.connect(host, port)
    client.loop_start()
    return client


def drive(bridges: list[Bridge], until: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        for bridge in bridges:
            bridge.run_once(wait=0.05)


class BridgeTest(StaClient, TestCase):
    stream: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        body = thing_payload("MQTT")
        body["Datastreams"][0]["@iot.id"] = "ds-mqtt"
        entity_create(
            actor=cls.system_user,
            agency_id=cls.agency_a.pk,
            viewer=viewer_for(cls.system_user),
            draft=parse_draft("Things", body),
        )
        cls.stream = Datastream.objects.get()

    def connect(self, broker, bridge: Bridge, group: str = "ioc-test") -> mqtt.Client:
        with override_settings(MQTT_SHARE_GROUP=group, MQTT_USERNAME=""):
            client = bridge_client(bridge)
        subscribed = []
        client.on_subscribe = lambda *args: subscribed.append(True)
        client.connect(broker.host, broker.port)
        client.loop_start()
        self.addCleanup(client.disconnect)
        self.addCleanup(client.loop_stop)
        deadline = time.monotonic() + 5
        while not subscribed and time.monotonic() < deadline:
            time.sleep(0.02)
        return client

    def test_it_stores_good_messages_and_counts_bad_ones(self):
        with mosquitto_broker() as broker:
            bridge = Bridge(actor=self.system_account, batch_max=10, batch_seconds=0.1)
            self.connect(broker, bridge)
            out = publisher(broker.host, broker.port)
            topic = f"v1.1/Datastreams({self.stream.pk})/Observations"
            for i in range(25):
                body = {"phenomenonTime": f"2025-07-01T00:{i:02d}:00Z", "result": float(i)}
                out.publish(topic, json.dumps(body), qos=1).wait_for_publish(5)
            out.publish("v1.1/Datastreams('ds-mqtt')/Observations", json.dumps({"result": 99.5}), qos=1)
            out.publish(topic, b"{not json", qos=1)
            out.publish(topic, json.dumps({"result": "cao"}), qos=1)
            out.publish("v1.1/Datastreams(9999)/Observations", json.dumps({"result": 1}), qos=1)
            out.publish(topic, json.dumps({"phenomenonTime": "2025-07-01T01:00:00Z"}), qos=1)
            drive([bridge], lambda: bridge.counters.stored + bridge.counters.rejected >= 30)
            out.loop_stop()
        self.assertEqual((bridge.counters.stored, bridge.counters.rejected), (26, 4))
        self.assertEqual(Observation.objects.count(), 26)
        self.stream.refresh_from_db()
        self.assertEqual(self.stream.latest_value, 99.5)  # published without a time: stamped now, the newest
        self.assertGreaterEqual(AuditEntry.objects.filter(action="sensors.observation.mqtt_batch").count(), 3)

    def test_two_bridges_on_one_shared_subscription_store_each_message_once(self):
        with mosquitto_broker() as broker:
            first = Bridge(actor=self.system_account, batch_max=20, batch_seconds=0.05)
            second = Bridge(actor=self.system_account, batch_max=20, batch_seconds=0.05)
            self.connect(broker, first, group="shared")
            self.connect(broker, second, group="shared")
            out = publisher(broker.host, broker.port)
            topic = f"v1.1/Datastreams({self.stream.pk})/Observations"
            for i in range(200):
                body = {"phenomenonTime": f"2025-07-02T{i // 60:02d}:{i % 60:02d}:00Z", "result": i}
                out.publish(topic, json.dumps(body), qos=1)
            drive([first, second], lambda: first.counters.stored + second.counters.stored >= 200)
            time.sleep(0.3)
            drive([first, second], lambda: False, seconds=0.5)
            out.loop_stop()
        self.assertEqual(first.counters.stored + second.counters.stored, 200)
        self.assertGreater(first.counters.stored, 0)
        self.assertGreater(second.counters.stored, 0)
        self.assertEqual(Observation.objects.count(), 200)
        self.assertEqual(len(set(Observation.objects.values_list("phenomenon_time", flat=True))), 200)


class PublishBackTest(StaClient, TestCase):
    def test_an_observation_posted_over_http_is_published_and_the_bridge_ignores_the_echo(self):
        self.addCleanup(publish.close)
        self.send("POST", "Things", thing_payload("Vòng"), 201)
        stream = Datastream.objects.get()
        with mosquitto_broker() as broker:
            received: list[dict] = []
            listener = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
            listener.on_message = lambda c, u, m: received.append(json.loads(m.payload))
            listener.connect(broker.host, broker.port)
            listener.subscribe("v1.1/+/Observations", qos=1)
            listener.loop_start()
            bridge = Bridge(actor=self.system_account, batch_seconds=0.05)
            BridgeTest.connect(self, broker, bridge)  # type: ignore[arg-type]
            time.sleep(0.3)
            settings_on = override_settings(MQTT_PUBLISH=True, MQTT_HOST=broker.host, MQTT_PORT=broker.port)
            with settings_on, self.captureOnCommitCallbacks(execute=True):
                body = {"Datastream": {"@iot.id": stream.pk}, "result": 7.5, "phenomenonTime": "2025-07-01T00:00:00Z"}
                created = self.send("POST", "Observations", body, 201)
            deadline = time.monotonic() + 30  # a bound, not an expectation: a loaded machine delivers slowly
            while not received and time.monotonic() < deadline:
                bridge.run_once(wait=0.05)
            drive([bridge], lambda: False, seconds=0.5)
            listener.loop_stop()
        self.assertEqual(
            received, [{"@iot.id": created["@iot.id"], "phenomenonTime": "2025-07-01T00:00:00+00:00", "result": 7.5}]
        )
        self.assertEqual(bridge.counters.stored + bridge.counters.rejected, 0)
        self.assertEqual(Observation.objects.count(), 1)


class CrashTest(StaClient, TestCase):
    def test_messages_received_but_not_committed_come_back_after_a_kill_and_are_stored_once(self):
        self.send("POST", "Things", thing_payload("Sập"), 201)
        stream = Datastream.objects.get()
        topic = f"v1.1/Datastreams({stream.pk})/Observations"
        with mosquitto_broker() as broker:
            doomed = Bridge(actor=self.system_account)
            with override_settings(MQTT_SHARE_GROUP="crash", MQTT_USERNAME=""):
                client = bridge_client(doomed, client_id="bridge-1")
            bridge_connect(client, broker.host, broker.port, persistent=True)
            client.loop_start()
            time.sleep(0.5)
            out = publisher(broker.host, broker.port)
            for i in range(40):
                out.publish(topic, json.dumps({"phenomenonTime": f"2025-07-03T00:{i:02d}:00Z", "result": i}), qos=1)
            deadline = time.monotonic() + 30  # a bound, not an expectation: a loaded machine delivers slowly
            while len(doomed.inbox) < 40 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(len(doomed.inbox), 40)  # received, never committed nor acknowledged
            client.loop_stop()
            client.socket().close()  # killed: no DISCONNECT, no PUBACK
            time.sleep(0.5)
            revived = Bridge(actor=self.system_account, batch_seconds=0.05)
            with override_settings(MQTT_SHARE_GROUP="crash", MQTT_USERNAME=""):
                again = bridge_client(revived, client_id="bridge-1")
            bridge_connect(again, broker.host, broker.port, persistent=True)
            again.loop_start()
            self.addCleanup(again.loop_stop)
            drive([revived], lambda: revived.counters.stored >= 40)
            drive([revived], lambda: False, seconds=0.5)
            out.loop_stop()
        self.assertEqual(revived.counters.stored, 40)
        self.assertEqual(Observation.objects.count(), 40)

    def test_a_bridge_killed_between_commit_and_acknowledgement_stores_the_redelivered_batch_once(self):
        self.send("POST", "Things", thing_payload("Chết"), 201)
        stream = Datastream.objects.get()
        topic = f"v1.1/Datastreams({stream.pk})/Observations"
        with mosquitto_broker() as broker:
            doomed = Bridge(actor=self.system_account)
            with override_settings(MQTT_SHARE_GROUP="crash", MQTT_USERNAME=""):
                client = bridge_client(doomed, client_id="bridge-2")
            bridge_connect(client, broker.host, broker.port, persistent=True)
            client.loop_start()
            time.sleep(0.5)
            out = publisher(broker.host, broker.port)
            for i in range(40):
                out.publish(topic, json.dumps({"phenomenonTime": f"2025-07-04T00:{i:02d}:00Z", "result": i}), qos=1)
            deadline = time.monotonic() + 30  # a bound, not an expectation: a loaded machine delivers slowly
            while len(doomed.inbox) < 40 and time.monotonic() < deadline:
                time.sleep(0.05)
            batch = doomed.take(wait=1)
            self.assertEqual(len(batch), 40)
            doomed.commit(batch)  # committed ...
            client.loop_stop()
            client.socket().close()  # ... and killed before `acknowledge`: no PUBACK left
            self.assertEqual(Observation.objects.count(), 40)
            time.sleep(0.5)
            revived = Bridge(actor=self.system_account, batch_seconds=0.05)
            with override_settings(MQTT_SHARE_GROUP="crash", MQTT_USERNAME=""):
                again = bridge_client(revived, client_id="bridge-2")
            bridge_connect(again, broker.host, broker.port, persistent=True)
            again.loop_start()
            self.addCleanup(again.loop_stop)
            drive([revived], lambda: revived.counters.duplicates >= 40)
            drive([revived], lambda: False, seconds=0.5)
            out.loop_stop()
        self.assertEqual((revived.counters.stored, revived.counters.duplicates), (0, 40))  # all redelivered
        self.assertEqual(Observation.objects.count(), 40)
        times = Observation.objects.values_list("phenomenon_time", flat=True)
        self.assertEqual(len(set(times)), 40)


class TwoBridgesCrashTest(StaClient, TestCase):
    def start(self, broker, bridge: Bridge, client_id: str) -> mqtt.Client:
        with override_settings(MQTT_SHARE_GROUP="pair", MQTT_USERNAME=""):
            client = bridge_client(bridge, client_id=client_id)
        bridge_connect(client, broker.host, broker.port, persistent=True)
        client.loop_start()
        return client

    def test_two_bridges_one_killed_after_a_commit_before_its_acks_store_every_message_once(self):
        self.send("POST", "Things", thing_payload("Đôi"), 201)
        stream = Datastream.objects.get()
        topic = f"v1.1/Datastreams({stream.pk})/Observations"
        with mosquitto_broker() as broker:
            doomed, other = Bridge(actor=self.system_account), Bridge(actor=self.system_account, batch_seconds=0.05)
            doomed_client = self.start(broker, doomed, "pair-1")
            other_client = self.start(broker, other, "pair-2")
            self.addCleanup(other_client.loop_stop)
            time.sleep(0.5)
            out = publisher(broker.host, broker.port)
            for i in range(200):
                body = {"phenomenonTime": f"2025-07-05T{i // 60:02d}:{i % 60:02d}:00Z", "result": i}
                out.publish(topic, json.dumps(body), qos=1)
            deadline = time.monotonic() + 30  # a bound, not an expectation: a loaded machine delivers slowly
            while len(doomed.inbox) + len(other.inbox) < 200 and time.monotonic() < deadline:
                time.sleep(0.05)
            held = len(doomed.inbox)
            self.assertGreater(held, 1)  # the broker split the stream between the two
            committed = doomed.take(wait=1)[: held // 2]
            doomed.commit(committed)  # half of its share committed, nothing acknowledged ...
            doomed_client.loop_stop()
            doomed_client.socket().close()  # ... and killed
            drive([other], lambda: other.counters.stored >= 200 - held)
            revived = Bridge(actor=self.system_account, batch_seconds=0.05)
            self.addCleanup(self.start(broker, revived, "pair-1").loop_stop)
            drive([revived, other], lambda: revived.counters.stored + revived.counters.duplicates >= held)
            drive([revived, other], lambda: False, seconds=0.5)
            out.loop_stop()
        self.assertEqual(doomed.counters.stored, len(committed))
        self.assertEqual(revived.counters.duplicates, len(committed))  # redelivered to its own session, not stored
        self.assertEqual(doomed.counters.stored + revived.counters.stored + other.counters.stored, 200)
        self.assertEqual(Observation.objects.count(), 200)
        self.assertEqual(len(set(Observation.objects.values_list("phenomenon_time", flat=True))), 200)
