"""R5.5, the SensorThings MQTT extension's access: an information system's MQTT login (issued once, stored as
Mosquitto's `$7$` hash) and `mqtt_sync_acl`'s password file and ACL, checked against a real Mosquitto: a system
publishes to its own Datastreams' topics, never to another agency's."""

import base64
import json
import tempfile
import time
from io import StringIO
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase, override_settings
from paho.mqtt.enums import CallbackAPIVersion

from ioc.agencies.models import InformationSystem
from ioc.audit.models import AuditEntry
from ioc.sensors.broker import password_check, password_hash
from ioc.sensors.drafts import parse_draft
from ioc.sensors.management.commands.mqtt_bridge import bridge_client
from ioc.sensors.models import BrokerCredential, Datastream, Observation
from ioc.sensors.mqtt import Bridge
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import broker_credential_issue, entity_create
from ioc.sensors.tests.mqtt_broker import mosquitto_broker
from ioc.sensors.tests.sta_support import StaClient, thing_payload
from ioc.sensors.tests.test_mqtt_bridge import drive


class PasswordHashTest(TestCase):
    def test_it_writes_what_mosquitto_passwd_writes(self):
        # `mosquitto_passwd -b file alice secret` (Mosquitto 2.0.11) wrote this salt and hash.
        salt = "DV01a79UkZqxSPR7"
        expected = (
            "$7$101$DV01a79UkZqxSPR7$RHMQ1S9kbDoB33t0kPW8KQAR/co0q/AINXxlamRm0uXG7/aP9fGrY66Tqb284YhAH1W+t5K5QMFHh4gq"
            "DItQ3Q=="
        )
        self.assertEqual(password_hash("secret", salt=base64.b64decode(salt)), expected)
        self.assertTrue(password_check("secret", expected))
        self.assertFalse(password_check("Secret", expected))
        self.assertFalse(password_check("secret", "plain"))


class CredentialTest(StaClient, TestCase):
    def test_an_administrator_gets_the_password_once_and_only_its_hash_is_stored(self):
        credential, password = broker_credential_issue(actor=self.admin, system=self.system)
        self.assertTrue(password_check(password, credential.password_hash))
        self.assertNotIn(password, credential.password_hash)
        self.assertEqual(AuditEntry.objects.filter(action="sensors.broker_credential.issue").count(), 1)
        _again, second = broker_credential_issue(actor=self.admin, system=self.system)
        self.assertEqual(BrokerCredential.objects.count(), 1)
        self.assertFalse(password_check(password, BrokerCredential.objects.get().password_hash))
        self.assertTrue(password_check(second, BrokerCredential.objects.get().password_hash))

    def test_an_operator_is_refused_and_nothing_is_written(self):
        with self.assertRaises(PermissionDenied):
            broker_credential_issue(actor=self.operator, system=self.system)
        self.assertFalse(BrokerCredential.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="sensors.broker_credential.issue").exists())

    def test_a_retired_system_is_refused_naming_the_field(self):
        InformationSystem.objects.filter(pk=self.system.pk).update(is_active=False)
        self.system.refresh_from_db()
        with self.assertRaises(ValidationError) as caught:
            broker_credential_issue(actor=self.admin, system=self.system)
        self.assertIn("system", caught.exception.message_dict)
        self.assertFalse(BrokerCredential.objects.exists())

    def test_the_command_prints_the_password_once(self):
        out = StringIO()
        call_command("mqtt_credential_issue", "--system", self.system.code, "--by", self.admin.username, stdout=out)
        password = out.getvalue().split("shown once): ", 1)[1].strip()
        self.assertTrue(password_check(password, BrokerCredential.objects.get().password_hash))


@pytest.mark.broker
class AclTest(StaClient, TestCase):
    stream_a: Datastream
    stream_b: Datastream
    system_b: InformationSystem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for agency, name in ((cls.agency_a, "A"), (cls.agency_b, "B")):
            body = thing_payload(f"ACL {name}")
            body["Datastreams"][0]["@iot.id"] = f"ds-acl-{name.lower()}"
            viewer = viewer_for(cls.system_user)
            entity_create(actor=cls.system_user, agency_id=agency.pk, viewer=viewer, draft=parse_draft("Things", body))
        cls.stream_a = Datastream.objects.get(ext_id="ds-acl-a")
        cls.stream_b = Datastream.objects.get(ext_id="ds-acl-b")
        cls.system_b = InformationSystem.objects.create(agency=cls.agency_b, code="persona-system-b", name="Hệ B")

    def sync(self, root: Path) -> tuple[Path, Path]:
        files = (root / "ioc.passwd", root / "ioc.acl")
        with override_settings(MQTT_USERNAME="ioc-bridge", MQTT_PASSWORD="bridge-secret"):
            call_command("mqtt_sync_acl", "--password-file", files[0], "--acl-file", files[1], stdout=StringIO())
        return files

    def test_the_acl_names_each_systems_own_topics(self):
        broker_credential_issue(actor=self.admin, system=self.system)
        broker_credential_issue(actor=self.admin, system=self.system_b)
        with tempfile.TemporaryDirectory() as root:
            _passwd, acl = self.sync(Path(root))
            blocks = {block.split("\n", 1)[0]: block for block in acl.read_text().split("\n\n") if block}
        a = blocks[f"user {self.system.code}"]
        self.assertIn(f"topic readwrite v1.1/Datastreams({self.stream_a.pk})/Observations", a)
        self.assertIn("topic readwrite v1.1/Datastreams('ds-acl-a')/Observations", a)
        self.assertNotIn(f"Datastreams({self.stream_b.pk})", a)
        self.assertIn("topic readwrite v1.1/+/Observations", blocks["user ioc-bridge"])

    def test_a_system_publishes_to_its_own_datastream_and_never_to_another(self):
        _credential, password = broker_credential_issue(actor=self.admin, system=self.system)
        with tempfile.TemporaryDirectory() as root, mosquitto_broker(self.sync(Path(root))) as broker:
            bridge = Bridge(actor=self.system_account, batch_seconds=0.05)
            with override_settings(MQTT_USERNAME="ioc-bridge", MQTT_PASSWORD="bridge-secret", MQTT_SHARE_GROUP="g"):
                listener = bridge_client(bridge)
            subscribed: list[bool] = []
            listener.on_subscribe = lambda *args: subscribed.append(True)
            listener.connect(broker.host, broker.port)
            listener.loop_start()
            self.addCleanup(listener.loop_stop)
            deadline = time.monotonic() + 5
            while not subscribed and time.monotonic() < deadline:
                time.sleep(0.02)
            self.assertEqual(self.login(broker, self.system.code, "wrong"), 135)  # MQTT 5: Not authorized
            client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
            client.username_pw_set(self.system.code, password)
            client.connect(broker.host, broker.port)
            client.loop_start()
            for stream, value in ((self.stream_b, 66.0), (self.stream_a, 11.0)):
                topic = f"v1.1/Datastreams({stream.pk})/Observations"
                client.publish(topic, json.dumps({"result": value}), qos=1).wait_for_publish(5)
            client.publish("v1.1/Datastreams('ds-acl-a')/Observations", json.dumps({"result": 12.0}), qos=1)
            drive([bridge], lambda: bridge.counters.stored >= 2)
            drive([bridge], lambda: False, seconds=0.5)
            client.loop_stop()
        self.assertEqual(
            sorted(Observation.objects.values_list("datastream_id", "result")),
            [
                (self.stream_a.pk, 11.0),
                (self.stream_a.pk, 12.0),
            ],
        )
        self.assertEqual(bridge.counters.rejected, 0)  # refused by the broker: it never reached the bridge

    @staticmethod
    def login(broker, username: str, password: str) -> int:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        client.username_pw_set(username, password)
        codes: list[int] = []
        client.on_connect = lambda c, u, f, reason, p: codes.append(reason.value)
        client.connect(broker.host, broker.port)
        client.loop_start()
        deadline = time.monotonic() + 5
        while not codes and time.monotonic() < deadline:
            time.sleep(0.02)
        client.loop_stop()
        return codes[0] if codes else -1
