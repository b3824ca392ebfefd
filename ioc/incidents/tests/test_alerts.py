"""R4.1, R4.2: the one alert inbox — idempotent raise while open, attachment to an open incident of the same
kind and area, resolve, and the operator's verification (open, merge, dismiss); bad input writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.incidents import services
from ioc.incidents.models import Alert, Incident, IncidentEvent, VerificationTimer
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in
from ioc.notifications.models import Outbox


class RaiseTest(IncidentsMixin, TestCase):
    def test_a_repeat_while_open_updates_and_never_duplicates(self) -> None:
        first = services.alert_receive(**self._fields(severity=2))
        again = services.alert_receive(**self._fields(severity=4, title="Mực nước tăng tiếp"))
        third = services.alert_receive(**self._fields(severity=3, title="Mực nước tăng tiếp"))
        self.assertTrue(first.created)
        self.assertFalse(again.created)
        self.assertFalse(third.created)
        alert = Alert.objects.get()
        self.assertEqual((alert.count, alert.severity, alert.title), (3, 4, "Mực nước tăng tiếp"))
        assert alert.unit is not None
        self.assertEqual(alert.unit.code, self.commune().code)
        self.assertTrue(alert.grid_cell)
        self.assertEqual(VerificationTimer.objects.count(), 1)

    def test_after_resolve_the_same_key_opens_a_new_alert(self) -> None:
        self.raise_alert()
        resolved = services.alert_resolve(source="sensors", dedup_key="station-7:flood", actor=self.system_user)
        assert resolved is not None
        self.assertEqual(resolved.state, "resolved")
        self.assertIsNone(services.alert_resolve(source="sensors", dedup_key="station-7:flood", actor=self.system_user))
        self.raise_alert()
        self.assertEqual(Alert.objects.count(), 2)
        self.assertEqual(Alert.objects.filter(state="new").count(), 1)

    def test_it_attaches_to_an_open_incident_of_the_same_kind_and_area(self) -> None:
        incident = self.open_incident()
        other = self.raise_alert(dedup_key="station-8:flood", severity=5)
        self.assertEqual((other.state, other.incident_id), ("attached", incident.pk))
        incident.refresh_from_db()
        self.assertEqual(incident.severity, 5)  # the incident takes its alerts' highest severity
        kinds = list(IncidentEvent.objects.filter(incident=incident).values_list("kind", flat=True))
        self.assertIn("severity", kinds)
        self.assertEqual(kinds.count("alert"), 2)
        self.assertFalse(VerificationTimer.objects.filter(alert=other).exists())  # nothing to verify
        # Another kind, or another commune: a new alert in the inbox.
        elsewhere = self.raise_alert(dedup_key="station-9:flood", point=point_in(OTHER_COMMUNE))
        air = self.raise_alert(dedup_key="air-1", kind="env.air_quality")
        self.assertEqual((elsewhere.state, air.state), ("new", "new"))

    def test_bad_input_names_each_field_and_writes_nothing(self) -> None:
        before = AuditEntry.objects.count()
        cases: dict[str, dict[str, Any]] = {
            "kind": {"kind": "env.unknown"},
            "severity": {"severity": 9},
            "source": {"source": "satellite"},
            "dedup_key": {"dedup_key": ""},
            "title": {"title": "<script>x</script>"},
            "occurred_at": {"occurred_at": timezone.now() + dt.timedelta(days=1)},
            "point": {"point": (10.0, 10.0)},  # outside every commune
            "payload": {"payload": ["not", "an", "object"]},
        }
        for field, overrides in cases.items():
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.alert_raise(**self._fields(**overrides))
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaises(ValidationError) as both:
            services.alert_raise(**self._fields(kind="nope", severity="high"))
        self.assertEqual(set(both.exception.message_dict), {"kind", "severity"})
        self.assertFalse(Alert.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_only_the_ioc_systems_and_the_system_account_raise(self) -> None:
        for person in (self.officer_a, self.citizen, self.screen_user):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.alert_raise(**self._fields(actor=person))
        with self.assertRaises(PermissionDenied):
            services.alert_resolve(source="sensors", dedup_key="x", actor=self.officer_a)
        services.alert_raise(**self._fields(actor=self.system_account, dedup_key="by-system"))
        services.alert_raise(**self._fields(actor=self.operator, dedup_key="by-operator"))
        self.assertEqual(Alert.objects.count(), 2)

    def _fields(self, **overrides: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "source": "sensors",
            "dedup_key": "station-7:flood",
            "kind": "env.flood_level",
            "severity": 3,
            "title": "Mực nước trạm 7 vượt báo động 2",
            "occurred_at": timezone.now(),
            "point": point_in(),
            "payload": {},
            "actor": self.system_user,
        }
        fields.update(overrides)
        return fields


class VerifyTest(IncidentsMixin, TestCase):
    def test_verify_opens_an_incident_and_tells_the_leadership_when_severe(self) -> None:
        alert = self.raise_alert(severity=4)
        incident = services.alert_verify(alert=alert, actor=self.operator, title="Ngập sâu phố Điện Biên")
        alert.refresh_from_db()
        self.assertEqual(
            (alert.state, alert.incident_id, alert.decided_by_id), ("attached", incident.pk, self.operator.pk)
        )
        self.assertEqual((incident.state, incident.process, incident.severity), ("verified", "time_bound", 4))
        self.assertEqual(incident.raised_at, alert.first_seen_at)
        self.assertEqual(VerificationTimer.objects.get(alert=alert).state, "done")
        severe = Outbox.objects.filter(event="incident.severe")
        self.assertEqual(set(severe.values_list("recipient_user_id", flat=True)), {self.leader.pk})
        with self.assertRaises(ValidationError) as twice:
            services.alert_verify(alert=alert, actor=self.operator)
        self.assertIn("state", twice.exception.message_dict)

    def test_a_kind_needing_approval_waits_for_the_leader(self) -> None:
        incident = self.open_incident(kind="security.intrusion")
        self.assertEqual(incident.state, "awaiting_approval")
        with self.assertRaises(ValidationError):
            services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.operator)
        with self.assertRaises(PermissionDenied):
            services.incident_approve(incident=incident, actor=self.operator)
        services.incident_approve(incident=incident, actor=self.leader)
        self.assertEqual(incident.state, "verified")
        services.incident_forward(incident=incident, agencies=[self.agency_b], actor=self.operator)
        self.assertEqual(incident.state, "forwarded")

    def test_merge_and_dismiss(self) -> None:
        incident = self.open_incident()
        stray = self.raise_alert(source="people", dedup_key="call-1", kind="env.flood_level", point=None)
        services.alert_merge(alert=stray, incident=incident, actor=self.operator, note="Cùng vụ ngập")
        stray.refresh_from_db()
        self.assertEqual((stray.state, stray.incident_id), ("attached", incident.pk))
        self.assertTrue(IncidentEvent.objects.filter(incident=incident, kind="merged", alert=stray).exists())
        noise = self.raise_alert(source="cameras", dedup_key="cam-3", kind="camera.crowd")
        with self.assertRaises(ValidationError) as no_reason:
            services.alert_dismiss(alert=noise, actor=self.operator, reason=" ")
        self.assertIn("reason", no_reason.exception.message_dict)
        services.alert_dismiss(alert=noise, actor=self.operator, reason="Đám cưới, không phải tụ tập trái phép")
        noise.refresh_from_db()
        self.assertEqual(noise.state, "dismissed")
        self.assertEqual(Incident.objects.count(), 1)

    def test_only_the_ioc_verifies(self) -> None:
        alert = self.raise_alert()
        for person in (self.officer_a, self.citizen, self.system_user):
            with self.subTest(person=person.username), self.assertRaises(PermissionDenied):
                services.alert_verify(alert=alert, actor=person)
        self.assertFalse(Incident.objects.exists())

    def test_acknowledge_stops_the_highlight(self) -> None:
        alert = self.raise_alert(severity=5)
        services.alert_acknowledge(alert=alert, actor=self.operator)
        alert.refresh_from_db()
        self.assertEqual(alert.acknowledged_by_id, self.operator.pk)
        self.assertEqual(alert.state, "new")  # still to verify
