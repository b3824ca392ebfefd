"""R10.3: assets and maintenance — a plan without interval or date refused, records moving the due date, one
reminder per asset × due date on a frozen clock, a stopping fault raising its alert and forwarding the repair to
the maintaining agency, whose resolution repairs the fault."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.assignments.models import Assignment
from ioc.incidents.choices import AlertState
from ioc.incidents.models import Alert
from ioc.notifications.models import Outbox
from ioc.operations import services
from ioc.operations.choices import FaultState
from ioc.operations.models import MaintenancePlan, MaintenanceReminder
from ioc.worktime.selectors import LOCAL_TZ

NOW = dt.datetime(2025, 9, 1, 9, 0, tzinfo=LOCAL_TZ)


class AssetCase(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ups = services.asset_create(
            actor=cls.operator,
            kind="ups",
            name="UPS phòng máy chủ",
            owner_agency=cls.agency_a,
            maintainer=cls.agency_b,
            handover_no="12/BB-BG",
            handover_date=dt.date(2024, 5, 2),
            serial="UPS-001",
        )


class PlanTest(AssetCase):
    def test_a_plan_without_interval_or_date_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.maintenance_plan_set(actor=self.operator, asset=self.ups, title="Kiểm tra", now=NOW)
        self.assertIn("interval_days", caught.exception.message_dict)
        self.assertFalse(MaintenancePlan.objects.exists())
        with self.assertRaises(PermissionDenied):
            services.maintenance_plan_set(actor=self.officer_a, asset=self.ups, title="X", interval_days=30, now=NOW)

    def test_one_reminder_per_asset_and_due_date_on_a_frozen_clock(self):
        due = dt.date(2025, 9, 10)
        plan = services.maintenance_plan_set(
            actor=self.operator, asset=self.ups, title="Kiểm tra ắc quy", interval_days=90, due_on=due, now=NOW
        )
        services.maintenance_plan_set(actor=self.operator, asset=self.ups, title="Vệ sinh", due_on=due, now=NOW)
        self.assertEqual(MaintenanceReminder.objects.count(), 1)
        self.assertEqual(services.maintenance_reminders_send(now=NOW), 0)  # reminded 3 days ahead at 08:00
        at = dt.datetime(2025, 9, 7, 8, 0, tzinfo=LOCAL_TZ)
        self.assertEqual(services.maintenance_reminders_send(now=at), 1)
        self.assertEqual(services.maintenance_reminders_send(now=at + dt.timedelta(hours=1)), 0)
        keys = set(Outbox.objects.filter(template="operations.maintenance_due").values_list("dedup_key", flat=True))
        self.assertEqual(keys, {f"operations.maintenance:{self.ups.pk}:2025-09-10"})
        services.maintenance_record(
            actor=self.operator,
            asset=self.ups,
            plan=plan,
            done_on=dt.date(2025, 9, 9),
            result="ok",
            now=dt.datetime(2025, 9, 9, 15, 0, tzinfo=LOCAL_TZ),
        )
        plan.refresh_from_db()
        self.assertEqual(plan.due_on, dt.date(2025, 12, 8))
        self.assertTrue(MaintenanceReminder.objects.filter(due_on=dt.date(2025, 12, 8)).exists())

    def test_a_record_in_the_future_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            services.maintenance_record(
                actor=self.operator, asset=self.ups, done_on=dt.date(2025, 9, 2), result="ok", now=NOW
            )
        self.assertIn("done_on", caught.exception.message_dict)


class FaultTest(AssetCase):
    def test_a_stopping_fault_raises_its_alert_and_forwards_the_repair(self):
        fault = services.fault_report(
            actor=self.operator, asset=self.ups, description="UPS mất nguồn", stops_operation=True
        )
        alert = Alert.objects.get(pk=fault.alert_id_ref)
        self.assertEqual((alert.source, alert.kind), ("operations", "operations.equipment_fault"))
        work = Assignment.objects.get(pk=fault.assignment_id_ref)
        self.assertEqual((work.process, work.agency), ("operations", self.agency_b))
        from ioc.assignments import services as assignments

        assignments.assignment_accept(assignment=work, actor=self.officer_b)
        assignments.assignment_resolve(assignment=work, actor=self.officer_b, resolution="Đã thay ắc quy")
        fault.refresh_from_db()
        alert.refresh_from_db()
        self.assertEqual((fault.state, alert.state), (FaultState.REPAIRED, AlertState.RESOLVED))

    def test_a_minor_fault_is_only_recorded(self):
        fault = services.fault_report(
            actor=self.operator, asset=self.ups, description="Quạt kêu", stops_operation=False
        )
        self.assertIsNone(fault.alert_id_ref)
        self.assertFalse(Alert.objects.exists())
        self.assertLess(fault.reported_at, timezone.now() + dt.timedelta(seconds=1))
