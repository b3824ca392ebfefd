"""R4.1 (issue 12 "Speed"): `alert_raise_many` raises a burst in one transaction, each alert exactly as
`alert_raise` would (dedup, attachment, timer, severity, audit), a bad one refused in its place alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.incidents import services
from ioc.incidents.models import Alert, IncidentEvent, VerificationTimer
from ioc.incidents.services import AlertInput
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in


def item(**overrides: Any) -> AlertInput:
    fields: dict[str, Any] = {
        "source": "sensors",
        "dedup_key": "station-7:flood",
        "kind": "env.flood_level",
        "severity": 3,
        "title": "Mực nước trạm 7 vượt báo động 2",
        "occurred_at": timezone.now() - dt.timedelta(minutes=1),
        "point": point_in(),
        "payload": {"level_cm": 182},
    }
    fields.update(overrides)
    return AlertInput(**fields)


class BurstTest(IncidentsMixin, TestCase):
    def test_a_burst_dedups_attaches_and_times_as_one_by_one(self) -> None:
        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        results = services.alert_raise_many(
            alerts=[
                item(severity=2),
                item(severity=4, title="Mực nước tăng tiếp"),  # a repeat of the first
                item(dedup_key="cam-3", source="cameras", kind="camera.crowd", point=point_in(OTHER_COMMUNE)),
            ],
            actor=self.system_user,
        )
        flood, again, crowd = results
        assert isinstance(flood, Alert) and isinstance(again, Alert) and isinstance(crowd, Alert)
        self.assertEqual(flood.pk, again.pk)
        flood.refresh_from_db()
        self.assertEqual((flood.count, flood.severity, flood.state, flood.incident_id), (2, 4, "new", None))
        self.assertEqual((crowd.state, crowd.incident_id), ("attached", incident.pk))
        self.assertEqual(VerificationTimer.objects.filter(alert=flood).count(), 1)
        self.assertTrue(IncidentEvent.objects.filter(incident=incident, alert=crowd).exists())
        actions = list(AuditEntry.objects.filter(object_type="incidents.alert").values_list("action", flat=True))
        self.assertEqual(sorted(actions), ["alert.raise", "alert.raise", "alert.raise", "alert.repeat", "alert.verify"])

    def test_a_bad_alert_is_refused_in_its_place_and_writes_nothing(self) -> None:
        before = AuditEntry.objects.count()
        results = services.alert_raise_many(
            alerts=[item(), item(dedup_key="x", kind="no.such.kind", severity=9), item(dedup_key="y")],
            actor=self.system_user,
        )
        self.assertIsInstance(results[0], Alert)
        self.assertIsInstance(results[2], Alert)
        refused = results[1]
        assert isinstance(refused, ValidationError)
        self.assertEqual(set(refused.message_dict), {"kind", "severity"})
        nowhere = services.alert_raise_many(alerts=[item(dedup_key="z", point=["a", "b"])], actor=self.system_user)[0]
        assert isinstance(nowhere, ValidationError)
        self.assertEqual(set(nowhere.message_dict), {"point"})
        self.assertEqual(set(Alert.objects.values_list("dedup_key", flat=True)), {"station-7:flood", "y"})
        self.assertEqual(AuditEntry.objects.count(), before + 2)

    def test_a_burst_in_an_approved_window_marks_its_new_alerts_without_timer_or_incident(self) -> None:
        """R10.2: as `alert_raise` does — the named source's alerts are recorded as "bảo trì", nothing more."""
        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        now = timezone.now()
        services.maintenance_window_set(
            actor=self.system_user,
            reference="change-1",
            title="Nâng cấp",
            sources=["cameras"],
            starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(hours=1),
        )
        crowd, flood = services.alert_raise_many(
            alerts=[
                item(dedup_key="cam-3", source="cameras", kind="camera.crowd", point=point_in(OTHER_COMMUNE)),
                item(),  # another source: as before
            ],
            actor=self.system_user,
        )
        assert isinstance(crowd, Alert) and isinstance(flood, Alert)
        self.assertEqual((crowd.maintenance, crowd.state, crowd.incident_id), (True, "new", None))
        self.assertFalse(VerificationTimer.objects.filter(alert=crowd).exists())
        self.assertFalse(IncidentEvent.objects.filter(incident=incident, alert=crowd).exists())
        self.assertFalse(flood.maintenance)
        self.assertEqual(VerificationTimer.objects.filter(alert=flood).count(), 1)

    def test_a_raiser_without_the_right_is_refused_whole(self) -> None:
        with self.assertRaises(PermissionDenied):
            services.alert_raise_many(alerts=[item()], actor=self.officer_a)
        self.assertFalse(Alert.objects.exists())


class BurstEqualsOneByOneTest(IncidentsMixin, TestCase):
    def test_the_same_sequence_leaves_the_same_alerts_and_audit_trail(self) -> None:
        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        crowd = {"source": "cameras", "kind": "camera.crowd", "point": point_in(OTHER_COMMUNE)}
        steps: list[tuple[str, dict[str, Any]]] = [
            ("k1", {}),
            ("k1", {"title": "Lần 2"}),
            ("k2", crowd),
            ("k1", {"severity": 2}),
            ("k2", {**crowd, "severity": 5, "title": "Đông người, chen lấn"}),  # rises: the incident takes it
            ("k2", {**crowd, "severity": 4}),
            ("k1", {"payload": {"level_cm": 190}}),
        ]
        for key, overrides in steps:
            one_by_one: dict[str, Any] = {**item(**overrides).__dict__, "dedup_key": f"one:{key}"}
            services.alert_raise(**one_by_one, actor=self.system_user)
        services.alert_raise_many(
            alerts=[item(**{**overrides, "dedup_key": f"many:{key}"}) for key, overrides in steps],
            actor=self.system_user,
        )
        columns = ("count", "severity", "title", "payload", "state", "incident_id")
        for key in ("k1", "k2"):
            one = Alert.objects.filter(dedup_key=f"one:{key}").values(*columns).get()
            many = Alert.objects.filter(dedup_key=f"many:{key}").values(*columns).get()
            self.assertEqual(one, many)
        incident.refresh_from_db()
        self.assertEqual(incident.severity, 5)
        for prefix in ("one", "many"):
            ids = [str(pk) for pk in Alert.objects.filter(dedup_key__startswith=prefix).values_list("pk", flat=True)]
            entries = AuditEntry.objects.filter(object_type="incidents.alert", object_id__in=ids)
            actions = sorted(entries.values_list("action", flat=True))
            self.assertEqual(actions, ["alert.raise"] * 2 + ["alert.repeat"] * 5, prefix)


class ManyPairsTest(IncidentsMixin, TestCase):
    def test_more_pairs_than_one_compound_select_takes_are_looked_up_in_chunks(self) -> None:
        """SQLite allows 500 terms in one compound SELECT; a burst over many communes and kinds has more pairs."""
        from ioc.incidents.services.alerts_burst import _open_incidents

        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        assert incident.unit_id is not None
        pairs = [(f"kind.{n}", 10_000_000 + n) for n in range(700)]
        pairs.insert(550, ("camera.crowd", incident.unit_id))
        found = _open_incidents(pairs)
        self.assertEqual(found, {("camera.crowd", incident.unit_id): incident})
