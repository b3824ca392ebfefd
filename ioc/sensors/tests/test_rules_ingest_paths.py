"""R4.1, R5.5: rules are judged on every committed batch, whatever the path: the MQTT bridge's batches
(`observations_ingest`) and a single POST of an Observation through the SensorThings API."""

from django.test import TestCase

from ioc.common.testing import frozen
from ioc.sensors.services import ObservationRow, observations_ingest
from ioc.sensors.tests.rules_support import RuleWorld, minutes


class IngestPathsTest(RuleWorld, TestCase):
    def test_an_mqtt_batch_fires_the_rule(self) -> None:
        self.rule()
        rows = [ObservationRow({"phenomenon_time": minutes(i), "result": 90, "result_number": 90.0}) for i in (0, 1)]
        with frozen(minutes(2)):
            observations_ingest(actor=self.system_account, batches=[(self.stream, rows)])
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(len(self.alerts()), 1)

    def test_a_posted_observation_fires_the_rule(self) -> None:
        self.rule()
        body = {"phenomenonTime": minutes(0).isoformat(), "result": 99}
        with frozen(minutes(1)):
            self.send("POST", f"Datastreams({self.stream.pk})/Observations", body, 201)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(len(self.alerts()), 1)


class OutsideTest(RuleWorld, TestCase):
    def test_a_station_outside_every_commune_fires_an_alert_without_a_point_and_the_batch_is_stored(self) -> None:
        from ioc.incidents.models import Alert
        from ioc.sensors.models import Location

        Location.objects.filter(things=self.stream.thing).update(lat=0.5, lon=0.5, unit=None)
        self.rule()
        self.read(minutes(0), 90)
        self.assertEqual(self.states(), [("firing", "threshold")])
        self.assertEqual(list(Alert.objects.values_list("lat", "unit")), [(None, None)])
