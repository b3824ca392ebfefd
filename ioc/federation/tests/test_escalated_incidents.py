"""R9.1, R4.1: an incident a child center escalates lands in this center's one alert inbox (source "federation",
one alert per child incident), is resolved when the child closes it, and an unknown kind or severity is refused
naming the field."""

from __future__ import annotations

from ioc.federation.choices import Flow
from ioc.federation.models import ReceivedRecord
from ioc.federation.tests.base import FederationTestCase, body_of, message, signed_meta
from ioc.incidents.models import Alert

KEY = "incident:SC-7"


def incident(**change: object) -> dict[str, object]:
    return {
        "reference": "SC-7",
        "kind": "fire",
        "severity": 5,
        "state": "open",
        "title": "Cháy kho hàng",
        "unit": "",
        "raised_at": "2026-12-01T08:00:00+07:00",
        "closed_at": None,
        **change,
    }


class EscalatedIncidentsTest(FederationTestCase):
    def send(self, version: int, payload: dict[str, object]) -> dict[str, object]:
        body = body_of(message(Flow.INCIDENT_ESCALATED, KEY, version, payload))
        response = self.post(body, **signed_meta(body))
        return {"status": response.status_code, **response.json()}

    def test_it_is_raised_once_in_the_alert_inbox_and_resolved_when_closed(self) -> None:
        unit = self.communes[0].code
        self.assertEqual(self.send(1, incident(unit=unit))["status"], 200)
        self.assertEqual(self.send(2, incident(unit=unit, severity=4))["status"], 200)
        alert = Alert.objects.get(source="federation")
        self.assertEqual(
            (alert.kind, alert.dedup_key, alert.unit), ("fire", f"{self.link.code}:SC-7", self.communes[0])
        )
        self.assertIn("Cháy kho hàng", alert.title)
        self.assertEqual(ReceivedRecord.objects.get(object_key=KEY).version, 2)
        self.send(3, incident(unit=unit, state="closed", closed_at="2026-12-01T10:00:00+07:00"))
        alert.refresh_from_db()
        self.assertEqual(alert.state, "resolved")

    def test_an_unknown_kind_or_severity_is_refused(self) -> None:
        for change, field in (
            ({"kind": "ufo"}, "kind"),
            ({"severity": 9}, "severity"),
            ({"raised_at": "hôm qua"}, "raised_at"),
        ):
            answer = self.send(1, incident(**change))
            self.assertEqual(answer["status"], 422)
            self.assertIn(f"messages[0].payload.{field}", answer["error"]["fields"])  # type: ignore[index]
        self.assertFalse(Alert.objects.exists())
        self.assertFalse(ReceivedRecord.objects.exists())
