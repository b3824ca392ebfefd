"""R11, issue 15 item 5: the scenarios demo — the ready scenarios and the act's kinds, a past flood with its full
timeline, one active emergency in the command view, public warnings (alert, update, cancel); idempotent; ≤ 60 s."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.audit.models import AuditEntry
from ioc.common.testing import DemoLoadTestCase, demo_load
from ioc.incidents.choices import INCIDENT_OPEN_STATES
from ioc.scenarios import cap
from ioc.scenarios.models import Activation, PublicWarning, Scenario


class DemoGenerateTest(DemoLoadTestCase, TestCase):
    demo_only = ("scenarios",)
    demo_module = "ioc.scenarios.demo"

    def test_ready_scenarios_a_past_flood_an_active_emergency_and_warnings(self) -> None:
        self.assertLess(self.result["seconds"], 60)
        codes = set(Scenario.objects.values_list("code", flat=True))
        self.assertTrue({"lu-bao", "chay", "o-nhiem", "tan-cong-mang"} <= codes, codes)
        self.assertEqual(len([c for c in codes if c.startswith("act-")]), 5)  # Hưng Yên's Art. 6 kinds
        flood = Activation.objects.get(scenario__code="lu-bao")
        self.assertEqual(flood.incident.state, "closed")
        self.assertGreater(flood.incident.events.count(), 5)
        active = Activation.objects.filter(incident__state__in=INCIDENT_OPEN_STATES)
        self.assertEqual(active.count(), 1)
        self.assertTrue(active.get().resources.exists())
        kinds = set(PublicWarning.objects.values_list("msg_type", flat=True))
        self.assertEqual(kinds, {"Alert", "Update", "Cancel"})
        for warning in PublicWarning.objects.filter(sent_at__isnull=False):
            self.assertEqual(cap.cap_errors(cap.cap_document(warning, web="https://ioc.example/")), [])

    def test_the_past_flood_happened_in_the_past(self) -> None:
        """Issue 15 follow-up: activated, ticked, resolved and closed at past times, its timeline in the past, each
        step its own assignment (history in bulk, not stamped "now" by the services)."""
        flood = Activation.objects.select_related("incident").get(scenario__code="lu-bao")
        history = timezone.now() - dt.timedelta(days=14)
        incident = flood.incident
        self.assertLess(flood.activated_at, history)
        self.assertLess(incident.raised_at, flood.activated_at)
        self.assertIsNotNone(incident.closed_at)
        assert incident.closed_at is not None
        self.assertLess(incident.closed_at, history)
        assert flood.steps_forwarded_at is not None
        self.assertLess(flood.steps_forwarded_at, incident.closed_at)
        times = list(incident.events.values_list("at", flat=True))
        self.assertTrue(times and max(times) < history, times)
        self.assertTrue(incident.events.filter(kind="note", text__startswith="Chỉ đạo").exists())
        items = list(flood.checklist.select_related("assignment"))
        self.assertTrue(items and all(i.done_at is not None and i.done_at < history for i in items))
        steps = {i.step for i in items}
        parts = {i.step: i.assignment_id for i in items}
        self.assertEqual(len(set(parts.values())), len(steps))  # one assignment per step
        for item in items:
            assert item.assignment is not None and item.done_at is not None
            assert item.assignment.resolved_at is not None
            self.assertLessEqual(item.done_at, item.assignment.resolved_at)
            self.assertEqual(item.assignment.status, "confirmed")
        self.assertTrue(all(d.at < history for d in flood.decisions.all()))
        self.assertTrue(all(r.assigned_at < history for r in flood.resources.all()))
        self.assertTrue(AuditEntry.objects.filter(action="activation.bulk_load").exists())

    def test_a_second_load_adds_nothing(self) -> None:
        before = (Scenario.objects.count(), Activation.objects.count(), PublicWarning.objects.count())
        demo_load(*self.demo_only, module=self.demo_module)
        self.assertEqual((Scenario.objects.count(), Activation.objects.count(), PublicWarning.objects.count()), before)
