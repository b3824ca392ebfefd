"""Bad input at /sta/v1.1/: each kind gets a SensorThings-style 4xx naming the reason, and nothing is stored."""

from django.test import TestCase, override_settings

from ioc.audit.models import AuditEntry
from ioc.common.plaintext import JSON_NUL_MESSAGE
from ioc.sensors.models import Datastream, Location, Observation, Sensor, Thing
from ioc.sensors.tests.sta_support import StaClient, thing_payload


class QueryErrorTest(StaClient, TestCase):
    def error(self, path: str, status: int = 400) -> str:
        body = self.get_json(path, status=status)
        self.assertEqual((body["code"], body["type"]), (status, "error"))
        return str(body["message"])

    def test_malformed_filters(self):
        for condition in (
            "name eq",
            "name eq 'x",
            "(name eq 'x'",
            "name eq 'x')",
            "eq 'x'",
            "name eq 'x' and",
            "name ~ 'x'",
            "nosuchfunction(name) eq 1",
            "startswith(name) eq true",
            "year(name) eq 2025",
            "result add 'x' eq 1",
            "st_within(location, geography'POLYGON((1 2, 3')",
            "phenomenonTime gt 2025-13-45T00:00:00Z",
        ):
            with self.subTest(condition=condition):
                self.error(f"Locations?$filter={condition}")

    def test_unknown_properties_and_options(self):
        self.assertIn("nosuch", self.error("Things?$filter=nosuch eq 1"))
        self.assertIn("nosuch", self.error("Things?$select=nosuch"))
        self.assertIn("Nosuch", self.error("Things?$expand=Nosuch"))
        self.assertIn("nosuch", self.error("Things?$orderby=nosuch"))
        self.assertIn("$top", self.error("Things?$top=-1"))
        self.assertIn("$top", self.error("Things?$top=100000"))
        self.assertIn("$count", self.error("Things?$count=maybe"))
        self.assertIn("$levels", self.error("Things?$levels=2"))

    def test_unknown_entities_and_missing_ids_are_404(self):
        self.assertIn("Widgets", self.error("Widgets", 404))
        self.assertIn("Thing(999)", self.error("Things(999)", 404))
        self.assertIn("Thing('nope')", self.error("Things('nope')", 404))
        self.error("Observations('x')", 404)
        self.error("Things(1)/Nosuch", 404)
        self.error("nothing/at/all", 404)


class BodyErrorTest(StaClient, TestCase):
    def setUp(self) -> None:
        self.send("POST", "Things", thing_payload("Trạm 1"), 201)
        self.stream = Datastream.objects.get()
        self.counts = self.snapshot()

    def snapshot(self) -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Thing, Location, Datastream, Sensor, Observation, AuditEntry))

    def refused(self, method: str, path: str, body, status: int = 400) -> str:
        message = self.error_message(method, path, body, status)
        self.assertEqual(self.snapshot(), self.counts, "nothing may be stored")
        return message

    def test_a_deep_insert_with_one_bad_part_stores_nothing(self):
        body = thing_payload("Trạm 2")
        body["Datastreams"][0]["Sensor"] = {"@iot.id": 999}
        self.assertIn("999", self.refused("POST", "Things", body))
        body = thing_payload("Trạm 2")
        del body["Datastreams"][0]["unitOfMeasurement"]
        self.assertIn("unitOfMeasurement", self.refused("POST", "Things", body))

    def test_unknown_and_mistyped_properties(self):
        self.assertIn("colour", self.refused("POST", "Things", {"name": "x", "description": "y", "colour": 1}))
        self.assertIn("name", self.refused("POST", "Things", {"name": 5, "description": "y"}))
        self.assertIn("description", self.refused("POST", "Things", {"name": "x"}))
        bad_sensitivity = {"name": "x", "description": "y", "properties": {"sensitivity": "secret"}}
        self.assertIn("sensitivity", self.refused("POST", "Things", bad_sensitivity))
        place = {"name": "x", "description": "y", "encodingType": "application/geo+json", "location": {"type": "Nope"}}
        self.assertIn("location", self.refused("POST", "Locations", place))

    def test_an_observation_without_a_result_or_with_the_wrong_type(self):
        link = {"Datastream": {"@iot.id": self.stream.pk}, "phenomenonTime": "2025-07-01T00:00:00Z"}
        self.assertIn("result", self.refused("POST", "Observations", link))
        self.assertIn("result", self.refused("POST", "Observations", {**link, "result": "cao"}))
        self.assertIn("result", self.refused("POST", "Observations", {**link, "result": None}))
        self.assertIn(
            "phenomenonTime", self.refused("POST", "Observations", {**link, "result": 1, "phenomenonTime": "hôm qua"})
        )
        self.assertIn("Datastream", self.refused("POST", "Observations", {"result": 1}))

    def test_data_array_mismatches_store_nothing(self):
        good = ["2025-07-01T00:00:00Z", 1]
        base = {"Datastream": {"@iot.id": self.stream.pk}, "components": ["phenomenonTime", "result"]}
        cases = [
            ({**base, "dataArray": [good, ["2025-07-01T00:15:00Z"]]}, "dataArray[1]"),
            ({**base, "dataArray": [good], "dataArray@iot.count": 2}, "count"),
            ({**base, "components": ["phenomenonTime", "colour"], "dataArray": [good]}, "colour"),
            ({**base, "dataArray": [good, ["2025-07-01T00:15:00Z", "cao"]]}, "result"),
            ({**base, "dataArray": [good, [None, None]]}, "dataArray[1]"),
            ({**base, "Datastream": {"@iot.id": 999}, "dataArray": [good]}, "999"),
        ]
        for body, fragment in cases:
            with self.subTest(fragment=fragment):
                # the good batch first: the bad one must roll it back
                first = {**base, "dataArray": [good]}
                self.assertIn(fragment, self.refused("POST", "CreateObservations", [first, body]))

    def test_malformed_json_and_wrong_methods(self):
        response = self.client.post("/sta/v1.1/Things", data="{nope", content_type="application/json", **self.auth())
        self.assertEqual((response.status_code, response.json()["type"]), (400, "error"))
        self.refused("POST", f"Things({Thing.objects.get().pk})", {"name": "x"}, 405)
        self.refused("PATCH", "Things", {"name": "x"}, 405)
        self.refused("PUT", f"Things({Thing.objects.get().pk})", {"name": "x"})  # PUT needs every mandatory

    @override_settings(STA_MAX_BODY_BYTES=1000)
    def test_a_payload_over_the_limit_is_413(self):
        rows = [["2025-07-01T00:00:00Z", i] for i in range(200)]
        body = [
            {"Datastream": {"@iot.id": self.stream.pk}, "components": ["phenomenonTime", "result"], "dataArray": rows}
        ]
        self.assertIn("1000", self.refused("POST", "CreateObservations", body, 413))


class NulInJsonTest(StaClient, TestCase):
    """Issue 16 part 5: JSON carries what a form cannot, a NUL ("\\u0000") or a lone surrogate ("\\ud800"), which
    PostgreSQL cannot store (a 500 on that database otherwise): a 400 naming where, nothing stored."""

    def test_a_nul_or_lone_surrogate_anywhere_in_the_body_is_a_400(self):
        counts = (Thing.objects.count(), AuditEntry.objects.count())
        for label, body in (
            ("name", '{"name": "Tr\\u0000m", "description": "y"}'),
            ("property value", '{"name": "x", "description": "y", "properties": {"ghi_chu": "a\\u0000b"}}'),
            ("property key", '{"name": "x", "description": "y", "properties": {"k\\u0000": 1}}'),
            ("lone surrogate", '{"name": "x", "description": "y", "properties": {"ghi_chu": "\\ud800"}}'),
        ):
            with self.subTest(label):
                response = self.client.post(
                    "/sta/v1.1/Things", data=body, content_type="application/json", **self.auth()
                )
                self.assertEqual(response.status_code, 400, response.content[:300])
                self.assertEqual(response.json()["type"], "error")
                self.assertEqual(response.json()["message"], str(JSON_NUL_MESSAGE))  # the text, not a lazy object
                self.assertTrue(response.json()["message"].startswith("JSON có ký tự NUL"))  # Vietnamese first
                self.assertEqual((Thing.objects.count(), AuditEntry.objects.count()), counts)

    def test_a_body_not_in_utf8_is_a_400(self):
        # UTF-16 would carry an escape past the byte-level check; raw surrogate bytes are not UTF-8 either.
        counts = (Thing.objects.count(), AuditEntry.objects.count())
        for label, body in (
            ("UTF-16", '{"name": "Tr\\u0000m", "description": "y"}'.encode("utf-16")),
            ("raw surrogate bytes", b'{"name": "x\xed\xa0\x80", "description": "y"}'),
        ):
            with self.subTest(label):
                response = self.client.post(
                    "/sta/v1.1/Things", data=body, content_type="application/json", **self.auth()
                )
                self.assertEqual(response.status_code, 400, response.content[:300])
                self.assertEqual((Thing.objects.count(), AuditEntry.objects.count()), counts)
