"""R4.1, R5.5 through a real Mosquitto (the shipped config): a PM2.5 reading published on the SensorThings MQTT
topic over a rule's level lands in a band ("Xấu") and fires the rule — one alert in the incidents inbox; a later
reading below the clear level resolves it. The bridge's batch is the same committed batch as HTTP's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import TestCase

from ioc.incidents.models import Alert
from ioc.sensors.drafts import parse_draft
from ioc.sensors.models import Datastream, RuleState
from ioc.sensors.mqtt import Bridge
from ioc.sensors.rules_catalogue import band_of, bands_for
from ioc.sensors.selectors import viewer_for
from ioc.sensors.services import entity_create, rule_create
from ioc.sensors.tests import test_mqtt_bridge as bridge_tests
from ioc.sensors.tests.mqtt_broker import mosquitto_broker
from ioc.sensors.tests.sta_support import StaClient, thing_payload

pytestmark = pytest.mark.broker


class RuleOverMqttTest(StaClient, TestCase):
    stream: Datastream

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        draft = parse_draft("Things", thing_payload("Trạm MQTT"))
        entity_create(actor=cls.system_user, agency_id=cls.agency_a.pk, viewer=viewer_for(cls.system_user), draft=draft)
        cls.stream = Datastream.objects.get(thing__name="Trạm MQTT")

    def alerts(self) -> list[tuple[str, str, str]]:
        rows = Alert.objects.filter(source="sensors").order_by("pk")
        return list(rows.values_list("kind", "state", "dedup_key"))

    def test_a_reading_over_a_band_published_over_mqtt_fires_the_alert_and_a_low_one_resolves_it(self) -> None:
        rule_create(
            actor=self.operator,
            code="pm25-xau",
            name="PM2.5 mức Xấu",
            observed_property="pm25",
            kind="env.air_quality",
            severity=4,
            raise_op=">",
            raise_value=80.0,
            clear_op="<=",
            clear_value=65.0,
        )
        topic = f"v1.1/Datastreams({self.stream.pk})/Observations"
        with mosquitto_broker() as broker:
            bridge = Bridge(actor=self.system_account, batch_max=10, batch_seconds=0.05)
            bridge_tests.BridgeTest.connect(self, broker, bridge)  # type: ignore[arg-type]
            out = bridge_tests.publisher(broker.host, broker.port)
            self.publish(out, topic, "2025-07-01T08:00:00Z", 120.0)
            bridge_tests.drive([bridge], lambda: bridge.counters.stored >= 1)
            self.stream.refresh_from_db()
            band = band_of(self.stream.latest_value, bands_for("pm25"))
            self.assertEqual((self.stream.latest_value, band and band["label"]), (120.0, "Xấu"))
            self.assertEqual(self.alerts(), [("env.air_quality", "new", f"rule:pm25-xau:ds:{self.stream.pk}")])
            self.assertEqual(Alert.objects.get().severity, 4)
            self.publish(out, topic, "2025-07-01T08:15:00Z", 30.0)
            bridge_tests.drive([bridge], lambda: bridge.counters.stored >= 2)
            out.loop_stop()
        self.assertEqual([a[1] for a in self.alerts()], ["resolved"])
        self.assertEqual(list(RuleState.objects.values_list("state", flat=True)), ["resolved"])

    @staticmethod
    def publish(out: Any, topic: str, at: str, value: float) -> None:
        out.publish(topic, json.dumps({"phenomenonTime": at, "result": value}), qos=1).wait_for_publish(5)
