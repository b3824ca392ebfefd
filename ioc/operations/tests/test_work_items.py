"""R10.2–R10.4: the center's work in the operator's queue (overdue maintenance, a stopping fault) and the managing
body's approvals; the report section's figures; agency filters keep only agency-bound rows."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.common.report_sections import section_get
from ioc.common.workitems import WorkFilter
from ioc.operations import selectors, services
from ioc.operations.testing import managing_body_make


class WorkItemsTest(Personas, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        managing_body_make(actor=cls.system_account, agency=cls.agency_b)
        cls.ups = services.asset_create(actor=cls.operator, kind="ups", name="UPS", owner_agency=cls.agency_a)
        services.maintenance_plan_set(
            actor=cls.operator, asset=cls.ups, title="Kiểm tra", due_on=timezone.localdate() - dt.timedelta(days=3)
        )
        services.fault_report(actor=cls.operator, asset=cls.ups, description="Mất nguồn", stops_operation=True)
        start = timezone.now() + dt.timedelta(days=1)
        services.change_request(
            actor=cls.operator,
            title="Nâng cấp",
            reason="Vá",
            systems="Máy chủ",
            window_start=start,
            window_end=start + dt.timedelta(hours=1),
            rollback_plan="Khôi phục",
            requester="Nhà cung cấp",
        )

    def test_the_operator_sees_overdue_maintenance_and_the_fault(self):
        kinds = sorted(item.kind for item in selectors.operations_work_items(user=self.operator))
        self.assertEqual(kinds, ["fault", "maintenance"])
        self.assertEqual(
            selectors.operations_work_items(user=self.operator, where=WorkFilter(agency_id=self.agency_b.pk)), []
        )

    def test_the_managing_body_sees_the_change_to_approve(self):
        items = selectors.operations_work_items(user=self.officer_b)
        self.assertEqual([item.kind for item in items], ["approve"])
        self.assertEqual(selectors.operations_work_items(user=self.officer_a), [])

    def test_the_report_section_figures(self):
        now = timezone.now()
        figures = selectors.period_figures(start=now - dt.timedelta(days=30), end=now + dt.timedelta(minutes=1))
        self.assertEqual((figures["faults"], figures["faults_stopping"], figures["maintenance_overdue"]), (1, 1, 1))
        self.assertIsNotNone(section_get("operations"))
