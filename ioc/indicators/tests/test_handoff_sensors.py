"""R2.1, R5.5 end to end: observations written through SensorThings → the sensor-fed indicator's territory value
of the current and the previous period (`datastream_aggregate`, the indicator's aggregate) → its status against
the target → one warning; new observations update the value on the next sweep, never a second warning."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.indicators import services
from ioc.indicators.models import Indicator, IndicatorWarning, Value
from ioc.indicators.tests.support import catalogue, spec, territory
from ioc.sensors.models import Datastream

LOCAL = dt.timezone(dt.timedelta(hours=7))
THING = {
    "name": "Trạm quan trắc trung tâm",
    "description": "Trạm bụi mịn",
    "properties": {"kind": "air"},
    "Locations": [
        {
            "name": "Cột đo trung tâm",
            "description": "Cột đo",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [106.05, 20.65]},
        }
    ],
    "Datastreams": [
        {
            "name": "PM2.5 trung tâm",
            "description": "Bụi mịn",
            "unitOfMeasurement": {"name": "microgram per cubic metre", "symbol": "µg/m³", "definition": "ucum"},
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            "Sensor": {"name": "PMS5003", "description": "Laser", "encodingType": "text/html", "metadata": "x"},
            "ObservedProperty": {"name": "PM2.5", "definition": "http://example.org/pm25", "description": "Bụi"},
        }
    ],
}


class SensorHandoffTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        territory()

    def post(self, path, body):
        response = self.client.post(
            f"/sta/v1.1/{path}", data=json.dumps(body), content_type="application/json", **self.bearer()
        )
        self.assertEqual(response.status_code, 201, response.content[:300])

    def observe(self, stream, *readings):
        for at, value in readings:
            self.post(f"Datastreams({stream.pk})/Observations", {"phenomenonTime": at.isoformat(), "result": value})

    def test_observations_become_the_value_the_status_and_one_warning(self):
        self.post("Things", THING)
        stream = Datastream.objects.get(name="PM2.5 trung tâm")
        catalogue(self.leader, spec(
            "pm25", source="sensor", datastream=stream.pk, source_aggregate="mean", levels=["territory"],
            direction="lower", unit_label="µg/m³", sector="moi-truong",
        ))  # fmt: skip
        indicator = Indicator.objects.get(code="pm25")
        services.target_set(actor=self.leader, indicator=indicator, unit_id=None, period="202507", value=50)
        self.observe(stream, (dt.datetime(2025, 6, 30, 23, 0, tzinfo=LOCAL), 20))
        self.observe(
            stream, (dt.datetime(2025, 7, 1, 8, 0, tzinfo=LOCAL), 50), (dt.datetime(2025, 7, 2, tzinfo=LOCAL), 70)
        )
        now = dt.datetime(2025, 7, 3, 12, 0, tzinfo=LOCAL)

        result = services.sensor_indicators_sync(actor=self.system_account, now=now)
        self.assertEqual(result.stored, 2)
        values = dict(Value.objects.filter(indicator=indicator).values_list("period", "value"))
        self.assertEqual(values, {"202506": 20.0, "202507": 60.0})
        july = Value.objects.get(indicator=indicator, period="202507")
        self.assertEqual((july.unit_id, july.status), (None, "not_met"))
        self.assertEqual(IndicatorWarning.objects.filter(indicator=indicator).count(), 1)

        self.observe(
            stream, (dt.datetime(2025, 7, 3, 9, 0, tzinfo=LOCAL), 0), (dt.datetime(2025, 7, 3, 10, tzinfo=LOCAL), 0)
        )
        services.sensor_indicators_sync(actor=self.system_account, now=now)
        services.sensor_indicators_sync(actor=self.system_account, now=now)
        july.refresh_from_db()
        self.assertEqual((july.value, july.status), (30.0, "met"))
        self.assertEqual(IndicatorWarning.objects.filter(indicator=indicator).count(), 1)

    def test_a_sensor_indicator_needs_a_datastream_and_the_territory_level(self):
        self.post("Things", THING)
        stream = Datastream.objects.get(name="PM2.5 trung tâm")
        for label, bad in {
            "no stream": spec("a", source="sensor", levels=["territory"]),
            "unknown": spec("b", source="sensor", datastream=stream.pk + 1000, levels=["territory"]),
            "communes": spec("c", source="sensor", datastream=stream.pk),
        }.items():
            with self.subTest(label), self.assertRaises(ValidationError) as caught:
                catalogue(self.leader, bad)
            self.assertIn("add", caught.exception.message_dict)
        self.assertFalse(Indicator.objects.exists())
        self.assertEqual(services.sensor_indicators_sync(actor=self.system_account).stored, 0)
