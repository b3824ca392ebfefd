"""Issue 14 "Speed": a burst's new alerts are written together (one multi-row INSERT, their timers in one more),
their after-commit hooks scheduled once for the burst; a repeat of a new alert within the burst updates it before
it is written; a concurrent twin undoes the burst and runs it again one alert at a time, as `alert_raise` would."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.incidents import services
from ioc.incidents.models import Alert, IncidentEvent, VerificationTimer
from ioc.incidents.services import AlertInput, alerts_burst, hooks
from ioc.incidents.tests.support import OTHER_COMMUNE, IncidentsMixin, point_in


def item(key: str, **overrides: Any) -> AlertInput:
    fields: dict[str, Any] = {
        "source": "sensors",
        "dedup_key": key,
        "kind": "env.flood_level",
        "severity": 3,
        "title": f"Mực nước {key} vượt báo động 2",
        "occurred_at": timezone.now() - dt.timedelta(minutes=1),
        "point": point_in(),
        "payload": {"level_cm": 182},
    }
    fields.update(overrides)
    return AlertInput(**fields)


def inserts_into(model: type[Model], queries: list[dict[str, Any]]) -> int:
    start = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)}"
    return sum(1 for q in queries if q["sql"].lstrip().startswith(start))


class BulkNewAlertsTest(IncidentsMixin, TestCase):
    def test_new_alerts_go_in_one_insert_with_their_timers_and_audit_entries(self) -> None:
        keys = [f"station-{n}" for n in range(12)]
        with CaptureQueriesContext(connection) as captured:
            results = services.alert_raise_many(alerts=[item(k) for k in keys], actor=self.system_user)
        self.assertTrue(all(isinstance(r, Alert) and r.pk is not None for r in results))
        self.assertEqual(inserts_into(Alert, captured.captured_queries), 1)
        self.assertEqual(inserts_into(VerificationTimer, captured.captured_queries), 1)
        self.assertEqual(inserts_into(AuditEntry, captured.captured_queries), 1)
        self.assertEqual(sorted(Alert.objects.values_list("dedup_key", flat=True)), sorted(keys))
        self.assertEqual(VerificationTimer.objects.count(), 12)
        raised = AuditEntry.objects.filter(action="alert.raise").values_list("object_id", flat=True)
        self.assertEqual(sorted(raised), sorted(str(r.pk) for r in results if isinstance(r, Alert)))

    def test_a_repeat_of_a_new_alert_in_the_same_burst_is_written_with_it(self) -> None:
        first, again = services.alert_raise_many(
            alerts=[item("k1"), item("k1", title="Lần 2", payload={"level_cm": 190})], actor=self.system_user
        )
        assert isinstance(first, Alert) and isinstance(again, Alert)
        self.assertEqual(first.pk, again.pk)
        stored = Alert.objects.get()
        self.assertEqual((stored.count, stored.title, stored.payload), (2, "Lần 2", {"level_cm": 190}))
        entries = AuditEntry.objects.filter(object_type="incidents.alert", object_id=str(stored.pk)).order_by("pk")
        self.assertEqual(list(entries.values_list("action", flat=True)), ["alert.raise", "alert.repeat"])

    def test_a_rise_after_new_alerts_writes_them_first_and_the_incident_takes_the_level(self) -> None:
        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        crowd = {"source": "cameras", "kind": "camera.crowd", "point": point_in(OTHER_COMMUNE)}
        results = services.alert_raise_many(
            alerts=[item("new-1"), item("cam", **crowd), item("cam", **crowd, severity=5, title="Chen lấn")],
            actor=self.system_user,
        )
        cam = results[2]
        assert isinstance(cam, Alert)
        cam.refresh_from_db()
        incident.refresh_from_db()
        self.assertEqual((cam.count, cam.severity, cam.incident_id), (2, 5, incident.pk))
        self.assertEqual(incident.severity, 5)
        self.assertEqual(IncidentEvent.objects.filter(incident=incident, alert=cam).count(), 1)
        self.assertEqual(Alert.objects.filter(dedup_key="new-1").count(), 1)

    def test_the_hooks_run_once_per_new_alert_after_commit_in_order(self) -> None:
        seen: list[int] = []
        hooks.alert_hook_register("test-burst", seen.append)
        self.addCleanup(hooks._ALERT_HOOKS.pop, "test-burst")
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            results = services.alert_raise_many(
                alerts=[item("a"), item("b"), item("a"), item("c")], actor=self.system_user
            )
        self.assertEqual(len(callbacks), 1)
        ids = [r.pk for r in results if isinstance(r, Alert)]
        self.assertEqual(seen, [ids[0], ids[1], ids[3]])


class ConcurrentTwinTest(IncidentsMixin, TestCase):
    def test_a_twin_opened_after_the_burst_read_the_open_alerts_is_taken_as_a_repeat(self) -> None:
        """Another transaction commits an alert of one of the burst's new keys between the burst's read of the
        open alerts and its INSERT (simulated: the first read misses the twin). The unique index refuses the
        INSERT; the burst is undone and run again one alert at a time: the twin is repeated, the others are new,
        nothing of the first attempt is left (no alert, timer or audit entry twice)."""
        twin = self.raise_alert(dedup_key="twin", point=point_in())
        real = alerts_burst._open_alerts
        calls: list[int] = []

        def before_the_twin(alerts: Any) -> dict[tuple[str, str], Alert]:
            calls.append(1)
            return {} if len(calls) == 1 else real(alerts)

        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with mock.patch.object(alerts_burst, "_open_alerts", before_the_twin):
            result = services.alert_raise_batch(
                alerts=[item("fresh-1"), item("twin", title="Lần 2"), item("fresh-2")], actor=self.system_user
            )
        self.assertEqual(len(calls), 2)
        fresh_1, again, fresh_2 = result.results
        assert isinstance(fresh_1, Alert) and isinstance(again, Alert) and isinstance(fresh_2, Alert)
        self.assertEqual(again.pk, twin.pk)
        self.assertEqual(result.created, frozenset({fresh_1.pk, fresh_2.pk}))
        twin.refresh_from_db()
        self.assertEqual((twin.count, twin.title), (2, "Lần 2"))
        self.assertEqual(Alert.objects.count(), 3)
        self.assertEqual(VerificationTimer.objects.count(), 3)
        actions = AuditEntry.objects.filter(pk__gt=last_entry).values_list("action", flat=True)
        self.assertEqual(sorted(actions), ["alert.raise", "alert.raise", "alert.repeat"])


class ResolveManyTest(IncidentsMixin, TestCase):
    def test_resolving_many_equals_resolving_one_by_one(self) -> None:
        incident = self.open_incident(kind="camera.crowd", commune=OTHER_COMMUNE)
        crowd = {"source": "cameras", "kind": "camera.crowd", "point": point_in(OTHER_COMMUNE)}
        at = timezone.now() - dt.timedelta(seconds=30)
        for prefix in ("one", "many"):
            services.alert_raise_many(
                alerts=[item(f"{prefix}:flood"), item(f"{prefix}:cam", **crowd)], actor=self.system_user
            )
        for key in ("one:flood", "one:cam"):
            services.alert_resolve(
                source=("cameras" if "cam" in key else "sensors"), dedup_key=key, resolved_at=at, actor=self.system_user
            )
        results = services.alert_resolve_many(
            items=[
                services.ResolveInput("sensors", "many:flood", at),
                services.ResolveInput("cameras", " many:cam ", at),
                services.ResolveInput("cameras", "many:cam", at),  # named twice: the first resolves it
                services.ResolveInput("sensors", "never-opened"),
            ],
            actor=self.system_user,
        )
        self.assertTrue(isinstance(results[0], Alert) and isinstance(results[1], Alert))
        self.assertEqual(results[2:], [None, None])
        for suffix in ("flood", "cam"):
            one = Alert.objects.get(dedup_key=f"one:{suffix}")
            many = Alert.objects.get(dedup_key=f"many:{suffix}")
            self.assertEqual((many.state, many.resolved_at), ("resolved", at))
            self.assertEqual((one.state, one.resolved_at), (many.state, many.resolved_at))
            timers = {
                a: list(VerificationTimer.objects.filter(alert=a).values_list("state", flat=True)) for a in (one, many)
            }
            self.assertEqual(timers[one], timers[many])
            for alert in (one, many):
                entries = AuditEntry.objects.filter(object_id=str(alert.pk), action="alert.resolve")
                self.assertEqual(list(entries.values_list("changes", flat=True)), [{"resolved_at": at.isoformat()}])
        flood = Alert.objects.get(dedup_key="many:flood")
        self.assertEqual(VerificationTimer.objects.get(alert=flood).state, "done")
        lines = IncidentEvent.objects.filter(incident=incident, text__startswith="Nguồn báo đã hết")
        self.assertEqual(sorted(lines.values_list("alert__dedup_key", flat=True)), ["many:cam", "one:cam"])

    def test_a_raiser_without_the_right_resolves_nothing(self) -> None:
        services.alert_raise_many(alerts=[item("k")], actor=self.system_user)
        with self.assertRaises(PermissionDenied):
            services.alert_resolve_many(items=[services.ResolveInput("sensors", "k")], actor=self.officer_a)
        self.assertEqual(Alert.objects.get().state, "new")
