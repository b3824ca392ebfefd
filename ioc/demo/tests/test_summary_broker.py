"""Issue 11: the demo's printout names the MQTT broker when one runs (MQTT_PUBLISH), and nothing otherwise."""

from django.test import SimpleTestCase, override_settings

from ioc.demo import summary


class BrokerLineTest(SimpleTestCase):
    def test_the_broker_address_is_printed_when_the_demo_runs_one(self):
        with override_settings(MQTT_PUBLISH=True, MQTT_HOST="127.0.0.1", MQTT_PORT=18830, MQTT_USERNAME="ioc-bridge"):
            lines = summary._broker_lines()
        self.assertEqual(len(lines), 1)
        self.assertIn("mqtt://127.0.0.1:18830", lines[0])
        self.assertIn("ioc-bridge", lines[0])

    def test_no_broker_no_line(self):
        with override_settings(MQTT_PUBLISH=False):
            self.assertEqual(summary._broker_lines(), [])
