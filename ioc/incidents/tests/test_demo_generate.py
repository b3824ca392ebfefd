"""R11, issue 12 item 8: the incidents demo — months of both processes in bulk (audited per batch, some late and
escalated), today's inbox and incidents through the services with one active emergency; idempotent; ≤ 60 s."""

from __future__ import annotations

from django.test import TestCase

from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.common.testing import DemoLoadTestCase, demo_load
from ioc.incidents.models import Alert, Incident


class DemoGenerateTest(DemoLoadTestCase, TestCase):
    demo_only = ("incidents",)
    demo_module = "ioc.incidents.demo"

    def test_months_of_both_processes_some_escalated(self) -> None:
        closed = Incident.objects.filter(state="closed")
        self.assertGreater(closed.filter(process="time_bound").count(), 100)
        self.assertGreater(closed.filter(process="immediate").count(), 50)
        first, last = Incident.objects.earliest("raised_at"), Incident.objects.latest("raised_at")
        self.assertGreater((last.raised_at - first.raised_at).days, 150)  # months of history
        late = Assignment.objects.filter(process="incidents", escalation_level=1)
        self.assertTrue(late.exists())
        batches = AuditEntry.objects.filter(action="incident.bulk_load")
        self.assertEqual(sum(b.row_count or 0 for b in batches), self.result["incidents"])

    def test_the_live_inbox_and_one_active_emergency(self) -> None:
        self.assertTrue(Alert.objects.filter(state="new", severity__gte=4, acknowledged_at__isnull=True).exists())
        self.assertEqual(Incident.objects.filter(process="immediate", state__in=["dispatched", "en_route"]).count(), 1)
        for state in ("forwarded", "awaiting_approval"):
            self.assertTrue(Incident.objects.filter(state=state).exists(), state)
        self.assertEqual(
            demo_load(*self.demo_only, module=self.demo_module)[1]["already_loaded"], 1
        )  # a second load changes nothing
