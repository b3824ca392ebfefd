"""R4.1: rules and silences through /api/v1/sensors/: the IOC creates them; bad input (an unknown property, a
clear condition that can never be met, an unknown kind, a Datastream of another property) gets a 400 in the
shared error body naming the field, and nothing is written; an agency officer gets 403."""

import json
from typing import Any

from django.test import TestCase

from ioc.audit.models import AuditEntry
from ioc.sensors.models import AlertRule, Silence
from ioc.sensors.tests.rules_support import RuleWorld

RULES = "/api/v1/sensors/rules/"
SILENCES = "/api/v1/sensors/silences/"


class RuleApiTest(RuleWorld, TestCase):
    def setUp(self) -> None:
        self.sign_in(self.client, self.operator)

    def post(self, url: str, body: dict[str, Any], status: int) -> Any:
        response = self.client.post(url, json.dumps(body), content_type="application/json")
        self.assertEqual(response.status_code, status, response.content[:400])
        return response.json()

    def body(self, **changes: Any) -> dict[str, Any]:
        return {
            "code": "pm25-api",
            "name": "PM2.5 cao",
            "observed_property": "pm25",
            "kind": "env.air_quality",
            "severity": 3,
            "raise_op": ">",
            "raise_value": 50,
            "clear_op": "<=",
            "clear_value": 40,
            "for_seconds": 900,
            "datastreams": [self.stream.pk],
            **changes,
        }

    def test_the_operator_creates_a_rule_and_the_audit_names_them(self) -> None:
        made = self.post(RULES, self.body(), 201)
        rule = AlertRule.objects.get(pk=made["id"])
        self.assertEqual(list(rule.datastreams.all()), [self.stream])
        self.assertTrue(AuditEntry.objects.filter(action="sensors.rule.create", actor=self.operator).exists())

    def test_bad_rules_get_the_shared_error_body_naming_the_field(self) -> None:
        cases = (
            ({"observed_property": "do-am-dat"}, "observed_property"),
            ({"clear_op": ">", "clear_value": 60}, "clear_value"),  # same direction: never a way back
            ({"clear_op": "<", "clear_value": 70}, "clear_value"),  # overlaps the raise condition
            ({"kind": "env.unknown"}, "kind"),
            ({"severity": 9}, "severity"),
            ({"repeat_count": 0}, "repeat_count"),
            ({"observed_property": "rainfall"}, "datastreams"),  # a PM2.5 stream under a rainfall rule
            ({"datastreams": [999999]}, "datastreams"),
        )
        for changes, field in cases:
            with self.subTest(field=field, changes=changes):
                body = self.post(RULES, self.body(**changes), 400)
                self.assertEqual(set(body), {"error", "request_id"})
                self.assertIn(field, body["error"]["fields"])
        self.assertFalse(AlertRule.objects.exists())

    def test_a_nul_in_labels_area_or_matchers_is_a_400_naming_the_field(self) -> None:
        # issue 16: a key of a DictField is not checked by its CharField child, and jsonb refuses "\u0000"
        for changes, field in (
            ({"labels": {"k\u0000": "v"}}, "labels"),
            ({"area": {"point": [21.0, 105.8], "radius_m": 100, "x\u0000": 1}}, "area"),
        ):
            with self.subTest(field=field):
                body = self.post(RULES, self.body(**changes), 400)
                self.assertIn(field, body["error"]["fields"])
        self.assertFalse(AlertRule.objects.exists())
        good = {"starts_at": "2025-07-14T08:00:00Z", "ends_at": "2025-07-14T09:00:00Z", "reason": "x"}
        error = self.post(SILENCES, {**good, "matchers": {"ru\u0000le": "x"}}, 400)["error"]
        self.assertIn("matchers", error["fields"])
        self.assertFalse(Silence.objects.exists())

    def test_an_agency_officer_is_refused(self) -> None:
        self.client.logout()
        self.sign_in(self.client, self.officer_a)
        self.post(RULES, self.body(), 403)
        self.assertFalse(AlertRule.objects.exists())

    def test_a_silence_needs_matchers_and_a_window_in_order(self) -> None:
        good = {"matchers": {"rule": "x"}, "starts_at": "2025-07-14T08:00:00Z", "ends_at": "2025-07-14T09:00:00Z"}
        self.post(SILENCES, {**good, "reason": "Bảo trì trạm"}, 201)
        error = self.post(SILENCES, {**good, "ends_at": "2025-07-14T07:00:00Z", "reason": "x"}, 400)["error"]
        self.assertIn("ends_at", error["fields"])
        error = self.post(SILENCES, {**good, "matchers": {}, "reason": "x"}, 400)["error"]
        self.assertIn("matchers", error["fields"])
        self.assertEqual(Silence.objects.count(), 1)
