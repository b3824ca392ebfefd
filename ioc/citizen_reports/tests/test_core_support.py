"""Shared set-up of the core tests (test_core_*.py): personas, the hung-yen territory, categories, helpers that
drive a report through the real services. No tests here."""

from __future__ import annotations

import io
from typing import Any

import shapely
from PIL import Image

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.audit.models import AuditEntry
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, Report, ReportEvent
from ioc.common.images import CleanImage, image_clean
from ioc.geo import testing as geo_testing
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.notifications.models import Outbox

PHONE = "0900000456"
EMAIL = "reporter-core@canary.invalid"
COMMUNE = HUNG_YEN_COMMUNES[0]
OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]
OUTSIDE_COMMUNE = "00070"  # Phường Hoàn Kiếm, Hà Nội: a 2025 commune outside the hung-yen territory


def photo(color: str = "orange", size: tuple[int, int] = (64, 48)) -> CleanImage:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return image_clean(buffer.getvalue())


def unit(code: str = COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    """A point surely inside a commune (its representative point)."""
    p = shapely.from_geojson(unit(code).geometry).representative_point()
    return float(p.y), float(p.x)


def territory_ensure() -> None:
    geo_testing.territory_ensure(actor=system_actor())


def contact(**overrides: Any) -> services.ContactInput:
    fields: dict[str, Any] = {
        "name": "Nguyễn Thị Canary",
        "phone": PHONE,
        "email": EMAIL,
        "consent_processing": True,
        "consent_share_with_agency": False,
    }
    fields.update(overrides)
    return services.ContactInput(**fields)


class CoreMixin(Personas):
    """Personas, the territory, a road category routed to agency A and one needing the leader's approval."""

    road: Category
    sensitive: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_ensure()
        cls.road = services.category_create(
            actor=system_actor(), code="core-road", name="Đường hư hỏng", default_agency=cls.agency_a, handling_hours=16
        )
        cls.sensitive = services.category_create(
            actor=system_actor(),
            code="core-sensitive",
            name="Trật tự đô thị",
            default_agency=cls.agency_a,
            requires_leader_approval=True,
            evidence_photo_required=False,
        )

    def receive(self, *, category: Category | None = None, code: str = COMMUNE, **overrides: Any) -> Any:
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
        return services.report_receive(**fields)

    def assignment(self, report: Report) -> Assignment:
        report.refresh_from_db()
        assert report.assignment_id is not None
        return Assignment.objects.get(pk=report.assignment_id)

    def forward(self, report: Report, **kw: Any) -> Report:
        services.report_verify(report=report, actor=self.operator)
        if report.status == "awaiting_approval":
            services.report_approve(report=report, actor=self.leader)
        return services.report_forward(report=report, actor=self.operator, **kw)

    def resolve(self, report: Report, *, text: str = "Đã vá ổ gà.") -> Report:
        assignment = self.assignment(report)
        if assignment.status == "forwarded":
            assignment = assignment_services.assignment_accept(assignment=assignment, actor=self.officer_a)
        assignment_services.assignment_resolve(
            assignment=assignment, actor=self.officer_a, resolution=text, evidence=[photo("green")]
        )
        report.refresh_from_db()
        return report

    def publish(self, report: Report, *, result: str = "Đã vá xong ổ gà ngày 10/7.") -> Report:
        ids = list(report.photos.values_list("pk", flat=True))
        services.report_publish(report=report, actor=self.operator, result=result, public_photo_ids=ids)
        report.refresh_from_db()
        return report

    def snapshot(self, report: Report) -> tuple[Any, ...]:
        """What a refused call must leave unchanged: the row, its timeline, the audit trail, the outbox."""
        row = Report.objects.filter(pk=report.pk).values().get()
        return (
            row,
            ReportEvent.objects.filter(report=report).count(),
            AuditEntry.objects.count(),
            Outbox.objects.count(),
        )

    def outbox_for(self, address: str, event: str) -> list[Outbox]:
        return list(Outbox.objects.filter(recipient_address=address, event=event).order_by("pk"))
