"""Shared set-up of the operators' page tests (test_staff_*.py, test_statistics_*.py): personas, the hung-yen
territory, categories routed to agency A, helpers that drive reports through the real services. No tests here."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, Report, ReportEvent

# The helpers every citizen-report test support shares are written once, in test_core_support.
from ioc.citizen_reports.tests.test_core_support import COMMUNE as COMMUNE
from ioc.citizen_reports.tests.test_core_support import photo as photo
from ioc.citizen_reports.tests.test_core_support import point_in as point_in
from ioc.citizen_reports.tests.test_core_support import territory_ensure
from ioc.citizen_reports.tests.test_core_support import unit as unit
from ioc.geo.testing import HUNG_YEN_COMMUNES

PHONE = "0900000789"
EMAIL = "reporter-staff@canary.invalid"
OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]


def contact(**overrides: Any) -> services.ContactInput:
    fields: dict[str, Any] = {
        "name": "Trần Văn Canary",
        "phone": PHONE,
        "email": EMAIL,
        "consent_processing": True,
        "consent_share_with_agency": False,
    }
    fields.update(overrides)
    return services.ContactInput(**fields)


class StaffMixin(Personas):
    """Personas, the territory, a road category routed to agency A, one needing the leader's approval."""

    road: Category
    sensitive: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_ensure()
        cls.road = services.category_create(
            actor=system_actor(),
            code="staff-road",
            name="Đường hư hỏng",
            default_agency=cls.agency_a,
            handling_hours=16,
        )
        cls.sensitive = services.category_create(
            actor=system_actor(),
            code="staff-sensitive",
            name="Trật tự đô thị",
            default_agency=cls.agency_a,
            requires_leader_approval=True,
            evidence_photo_required=False,
        )

    def receive(self, *, category: Category | None = None, code: str = COMMUNE, **overrides: Any) -> Report:
        lat, lon = point_in(code)
        fields: dict[str, Any] = {
            "channel": "web",
            "category": category or self.road,
            "description": "Ổ gà lớn giữa đường trước chợ",
            "lat": lat,
            "lon": lon,
            "contact": contact(),
            "photos": [photo()],
        }
        fields.update(overrides)
        return services.report_receive(**fields).report

    def forward(self, report: Report, **kw: Any) -> Report:
        services.report_verify(report=report, actor=self.operator)
        if report.status == "awaiting_approval":
            services.report_approve(report=report, actor=self.leader)
        return services.report_forward(report=report, actor=self.operator, **kw)

    def resolve(self, report: Report, *, text: str = "Đã vá ổ gà.") -> Report:
        report.refresh_from_db()
        assert report.assignment_id is not None
        assignment = Assignment.objects.get(pk=report.assignment_id)
        assignment = assignment_services.assignment_accept(assignment=assignment, actor=self.officer_a)
        assignment_services.assignment_resolve(
            assignment=assignment, actor=self.officer_a, resolution=text, evidence=[photo("green")]
        )
        report.refresh_from_db()
        return report

    def snapshot(self, report: Report) -> tuple[Any, ...]:
        """What a refused action must leave unchanged: the row, its timeline, the audit trail."""
        row = Report.objects.filter(pk=report.pk).values().get()
        return row, ReportEvent.objects.filter(report=report).count(), AuditEntry.objects.count()

    def signed_in(self, user: Any) -> Client:
        client = Client()
        self.sign_in(client, user)
        return client
