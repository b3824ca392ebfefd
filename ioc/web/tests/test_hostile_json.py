"""Issue 16 part 5, R7.4: a deep-nested JSON document (100 000 levels: Python's parser runs out of recursion) at
every door that parses JSON — the data hub's push, SensorThings, the REST API (alerts), the MQTT bridge, GeoJSON
areas and the scenario form — is a 4xx or a field error naming the body, never a 500, and writes nothing.
"""

from __future__ import annotations

from django.test import TestCase

from ioc.accounts.testing import Personas
from ioc.datahub.models import Submission
from ioc.datahub.testing import dataset_make
from ioc.geo.areas import area_from_geojson
from ioc.incidents.models import Alert
from ioc.scenarios.forms import ScenarioForm
from ioc.sensors.drafts import DraftError
from ioc.sensors.mqtt import parse_message

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000


class DeepJsonOverHttpTest(Personas, TestCase):
    def post(self, url: str, body: str):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {self.system_token}"}
        return self.client.post(url, body, content_type="application/json", headers=headers)

    def test_the_data_hub_push_answers_400_naming_the_body(self) -> None:
        dataset_make(actor=self.system_account, owner=self.agency_a, code="test")
        for body in (DEEP, DEEP_OBJECT):
            response = self.post("/api/v1/datahub/datasets/test/submissions/", body)
            self.assertEqual(response.status_code, 400, response.content[:300])
            self.assertIn("JSON", response.content.decode())
        self.assertFalse(Submission.objects.exists())

    def test_sensorthings_answers_400(self) -> None:
        for url in ("/sta/v1.1/Observations", "/sta/v1.1/CreateObservations", "/sta/v1.1/Things"):
            with self.subTest(url=url):
                response = self.post(url, DEEP)
                self.assertIn(response.status_code, (400, 401, 403), response.content[:300])
                self.assertNotEqual(response.status_code, 500)

    def test_the_rest_api_answers_400(self) -> None:
        response = self.post("/api/v1/incidents/alerts/", DEEP_OBJECT)
        self.assertEqual(response.status_code, 400, response.content[:300])
        self.assertFalse(Alert.objects.exists())
        self.assertIn("JSON", response.json()["error"]["message"])

    def test_the_indicators_data_value_sets_answer_400(self) -> None:
        self.sign_in(self.client, self.officer_a)
        response = self.client.post("/api/v1/indicators/dataValueSets/", DEEP, content_type="application/json")
        self.assertEqual(response.status_code, 400, response.content[:300])


class DeepJsonInCodeTest(TestCase):
    def test_the_mqtt_bridge_refuses_the_message(self) -> None:
        with self.assertRaises(DraftError):
            parse_message("v1.1/Datastreams(1)/Observations", DEEP.encode())

    def test_a_geojson_area_is_a_field_error(self) -> None:
        with self.assertRaises(ValueError):
            area_from_geojson(DEEP_OBJECT)

    def test_the_scenario_form_names_the_definition(self) -> None:
        form = ScenarioForm(data={"name": "Kịch bản", "definition": DEEP})
        self.assertFalse(form.is_valid())
        self.assertIn("definition", form.errors)
