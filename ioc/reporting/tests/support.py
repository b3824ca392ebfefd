"""Shared set-up of the reporting tests: personas, the hung-yen territory, a category routed to agency A, and
citizen reports driven through the real services in a known month (July 2025). No tests here."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from PIL import Image

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.citizen_reports import services as cr_services
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.models import Report as CitizenReport
from ioc.common.images import image_clean
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES, territory_ensure
from ioc.reporting.models import ReportTemplate

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE = HUNG_YEN_COMMUNES[0]
MONTH = "202507"
NOW = dt.datetime(2025, 8, 5, 9, 0, tzinfo=VN)


def commune(code: str = COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def _photo() -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, "JPEG")
    return image_clean(buffer.getvalue())


class ReportingData(Personas):
    """Personas, the territory, and five citizen reports received in July 2025: two published (one on time),
    one forwarded to agency A, one to agency B, one only received; one in June (outside the month)."""

    road: Category
    citizen_reports: list[CitizenReport]
    monthly: ReportTemplate

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_ensure(actor=system_actor())
        cls.road = cr_services.category_create(
            actor=system_actor(), code="rep-road", name="Đường hư hỏng", default_agency=cls.agency_a, handling_hours=16
        )
        cls.citizen_reports = [
            cls._published(dt.datetime(2025, 7, 3, 9, 0, tzinfo=VN), on_time=True, rating=5),
            cls._published(dt.datetime(2025, 7, 10, 9, 0, tzinfo=VN), on_time=False, rating=3),
            cls._forwarded(dt.datetime(2025, 7, 15, 9, 0, tzinfo=VN)),
            cls._forwarded(dt.datetime(2025, 7, 20, 9, 0, tzinfo=VN), agency=cls.agency_b),
            cls._received(dt.datetime(2025, 7, 31, 22, 0, tzinfo=VN)),
            cls._received(dt.datetime(2025, 6, 30, 10, 0, tzinfo=VN)),
        ]
        cls.monthly = ReportTemplate.objects.get(code="operations-monthly")

    @classmethod
    def _received(cls, at: dt.datetime) -> CitizenReport:
        p = shapely.from_geojson(commune().geometry).representative_point()
        report = cr_services.report_receive(
            channel="web",
            category=cls.road,
            description="Ổ gà lớn giữa đường trước chợ",
            lat=float(p.y),
            lon=float(p.x),
            contact=cr_services.ContactInput(
                name="Canary", phone="0900000555", email="rep@canary.invalid", consent_processing=True
            ),
            photos=[_photo()],
        ).report
        CitizenReport.objects.filter(pk=report.pk).update(received_at=at)
        report.refresh_from_db()
        return report

    @classmethod
    def _forwarded(cls, at: dt.datetime, agency: Any = None) -> CitizenReport:
        report = cls._received(at)
        cr_services.report_verify(report=report, actor=cls.operator)
        cr_services.report_forward(report=report, actor=cls.operator, agency=agency)
        report.refresh_from_db()
        Assignment.objects.filter(pk=report.assignment_id or 0).update(forwarded_at=at + dt.timedelta(hours=1))
        return report

    @classmethod
    def _published(cls, at: dt.datetime, *, on_time: bool, rating: int) -> CitizenReport:
        report = cls._forwarded(at)
        assert report.assignment_id is not None
        assignment = assignment_services.assignment_accept(
            assignment=Assignment.objects.get(pk=report.assignment_id), actor=cls.officer_a
        )
        assignment_services.assignment_resolve(
            assignment=assignment, actor=cls.officer_a, resolution="Đã vá.", evidence=[_photo()]
        )
        report.refresh_from_db()
        cr_services.report_publish(report=report, actor=cls.operator, result="Đã xử lý xong.")
        CitizenReport.objects.filter(pk=report.pk).update(
            published_at=at + dt.timedelta(hours=10), handled_on_time=on_time, rating=rating
        )
        report.refresh_from_db()
        return report
