"""Shared set-up of the citizens' page tests (test_public_*.py): territory, categories, photos, and a report
driven through the real services up to publication. No tests here."""

from __future__ import annotations

import io
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, Report
from ioc.citizen_reports.tests.test_core_support import territory_ensure
from ioc.common.images import image_clean
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES

CANARY_EMAIL = "nguoi-dan@canary.invalid"
CANARY_PHONE = "0900000123"
COMMUNE_CODE = HUNG_YEN_COMMUNES[0]
OTHER_COMMUNE_CODE = HUNG_YEN_COMMUNES[9]


def jpeg_bytes(width: int = 2400, height: int = 1800, color: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def jpeg_upload(name: str = "anh.jpg", **kwargs: Any) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def commune(code: str = COMMUNE_CODE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def point_in(code: str = COMMUNE_CODE) -> tuple[float, float]:
    unit = commune(code)
    assert unit.lat is not None and unit.lon is not None
    return unit.lat, unit.lon


def publish_report(report: Report, *, operator: Any, officer: Any, result: str, photos_public: bool = True) -> Report:
    """The real flow: verify → forward to the officer's agency → accept → resolve with evidence → publish."""
    services.report_verify(report=report, actor=operator)
    services.report_forward(report=report, actor=operator, agency=officer.agency)
    assignment = assignment_selectors.assignment_for_subject(process="citizen_reports", subject_id=str(report.pk))
    assert assignment is not None
    assignment = assignment_services.assignment_accept(assignment=assignment, actor=officer)
    assignment_services.assignment_resolve(
        assignment=assignment,
        actor=officer,
        resolution="Đã vá xong.",
        evidence=[image_clean(jpeg_bytes(640, 480, (10, 160, 60)))],
    )
    report.refresh_from_db()
    photo_ids = list(report.photos.values_list("pk", flat=True)) if photos_public else []
    services.report_publish(report=report, actor=operator, result=result, public_photo_ids=photo_ids)
    report.refresh_from_db()
    return report


class PublicPagesMixin(Personas):
    """Personas + the hung-yen territory + two categories (one retired) + a clean cache (rate limits)."""

    category: Category
    other_category: Category
    retired: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_ensure()
        cls.category = services.category_create(
            actor=system_actor(),
            code="duong-hu-hong",
            name="Đường hư hỏng",
            default_agency=cls.agency_a,
            handling_hours=16,
        )
        cls.other_category = services.category_create(
            actor=system_actor(), code="rac-thai", name="Rác thải", default_agency=cls.agency_a
        )
        cls.retired = services.category_create(actor=system_actor(), code="cu", name="Lĩnh vực cũ", is_active=False)

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]  # a mixin: TestCase comes later in the MRO
        cache.clear()

    def form_data(self, **overrides: Any) -> dict[str, Any]:
        lat, lon = point_in()
        data: dict[str, Any] = {
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "unit": "",
            "address": "Trước cổng chợ",
            "category": self.category.code,
            "description": "Ổ gà lớn giữa đường, xe máy dễ ngã.",
            "name": "",
            "phone": "",
            "email": "",
            "anonymous_to_public": "on",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def receive(cls, *, description: str = "Ổ gà lớn giữa đường", category: Category | None = None, **kw: Any) -> Any:
        lat, lon = point_in(kw.pop("commune_code", COMMUNE_CODE))
        return services.report_receive(
            channel="web",
            category=category or cls.category,
            description=description,
            lat=lat,
            lon=lon,
            contact=kw.pop(
                "contact",
                services.ContactInput(
                    name="Nguyễn Văn Canary", phone=CANARY_PHONE, email=CANARY_EMAIL, consent_processing=True
                ),
            ),
            photos=kw.pop("photos", [image_clean(jpeg_bytes(800, 600))]),
            **kw,
        )

    @classmethod
    def publish(cls, report: Report, *, result: str = "Đã vá ổ gà ngày 10/7.", photos_public: bool = True) -> Report:
        return publish_report(
            report, operator=cls.operator, officer=cls.officer_a, result=result, photos_public=photos_public
        )
