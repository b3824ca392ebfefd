"""R11: the documented bulk loader of past activations — one audit entry per batch, the checklist linked to each
step's assignment at its past times; refused for anyone but the administrator and for times out of order, with
nothing written."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import system_actor
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.incidents import services as incident_services
from ioc.incidents.choices import PROCESS
from ioc.incidents.models import Incident
from ioc.scenarios import services
from ioc.scenarios.models import Activation, ChecklistItem
from ioc.scenarios.tests.support import ScenarioMixin


class ActivationHistoryTests(ScenarioMixin, TestCase):
    def setUp(self) -> None:
        self.flood = self.scenario()
        self.admin_system = system_actor()

    def past_incident(self, start: dt.datetime) -> Incident:
        part = incident_services.PastPart(
            agency=self.agency_b,
            forwarded_at=start + dt.timedelta(minutes=15),
            deadline_at=start + dt.timedelta(hours=4),
            working_hours=4,
            resolved_at=start + dt.timedelta(hours=3),
        )
        row = incident_services.PastIncident(
            kind="env.flood_level",
            severity=4,
            title="Ngập lụt khu dân cư (lịch sử)",
            source="sensors",
            raised_at=start,
            verified_at=start + dt.timedelta(minutes=10),
            closed_at=start + dt.timedelta(hours=20),
            resolved_at=start + dt.timedelta(hours=3),
            confirmed_at=start + dt.timedelta(hours=5),
            parts=[part],
            notes=[(start + dt.timedelta(minutes=20), "Chỉ đạo: sơ tán")],
        )
        incident_services.incident_history_bulk_create(rows=[row], actor=self.admin_system)
        return Incident.objects.get(raised_at=start)

    def row(self, start: dt.datetime, incident: Incident, **overrides: object) -> services.PastActivation:
        fields: dict[str, object] = {
            "scenario": self.flood,
            "incident": incident,
            "activated_by": self.leader,
            "activated_at": start + dt.timedelta(minutes=10),
            "reason": "Mưa lớn",
            "steps_forwarded_at": start + dt.timedelta(minutes=15),
            "parts": list(Assignment.objects.filter(process=PROCESS, subject_id=str(incident.pk))),
            "ticks": {(0, 0): (start + dt.timedelta(hours=1), self.operator)},
            "decisions": [(start + dt.timedelta(minutes=20), self.leader, "Sơ tán", True)],
            **overrides,
        }
        return services.PastActivation(**fields)  # type: ignore[arg-type]

    def test_a_past_activation_is_written_at_its_times_with_one_audit_entry(self) -> None:
        start = timezone.now() - dt.timedelta(days=30)
        incident = self.past_incident(start)
        totals = services.activation_history_bulk_create(rows=[self.row(start, incident)], actor=self.admin_system)
        self.assertEqual(totals["activations"], 1)
        activation = Activation.objects.get()
        self.assertEqual(activation.activated_at, start + dt.timedelta(minutes=10))
        self.assertEqual(activation.version.number, 1)
        items = list(ChecklistItem.objects.filter(activation=activation).order_by("position"))
        self.assertEqual(len(items), 3)  # the step's title and its two items
        self.assertEqual(items[0].done_at, start + dt.timedelta(hours=1))
        self.assertIsNone(items[1].done_at)
        part = Assignment.objects.get(subject_id=str(incident.pk))
        self.assertTrue(all(item.assignment_id == part.pk for item in items))
        self.assertEqual(AuditEntry.objects.filter(action="activation.bulk_load").count(), 1)
        self.assertTrue(incident.events.filter(kind="note", text="Chỉ đạo: sơ tán").exists())

    def test_only_the_administrator_loads_history_and_times_must_be_in_order(self) -> None:
        start = timezone.now() - dt.timedelta(days=30)
        incident = self.past_incident(start)
        with self.assertRaises(PermissionDenied):
            services.activation_history_bulk_create(rows=[self.row(start, incident)], actor=self.operator)
        early = self.row(start, incident, activated_at=start - dt.timedelta(hours=1))
        with self.assertRaises(ValidationError) as caught:
            services.activation_history_bulk_create(rows=[early], actor=self.admin_system)
        self.assertIn("rows[0].activated_at", caught.exception.message_dict)
        self.assertFalse(Activation.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="activation.bulk_load").exists())
