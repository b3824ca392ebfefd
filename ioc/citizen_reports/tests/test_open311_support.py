"""Shared set-up of the Open311 tests (test_open311_*.py): personas, the territory, categories, a client that speaks
GeoReport v2 in XML and JSON, and helpers that move a report through the real services. No tests here."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from PIL import Image

from ioc.accounts.testing import Personas, system_actor
from ioc.assignments import services as assignment_services
from ioc.assignments.models import Assignment
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, Report
from ioc.citizen_reports.tests.test_core_support import COMMUNE as COMMUNE
from ioc.citizen_reports.tests.test_core_support import point_in as point_in
from ioc.geo.services import territory_set

BASE = "/open311/v2"
OUTSIDE_COMMUNE = "00070"  # Phường Hoàn Kiếm (Hà Nội): outside the hung-yen territory
CANARY_EMAIL = "reporter-open311@canary.invalid"
CANARY_PHONE = "0900000311"
CANARY_NAME = "Canarysurname"
DESCRIPTION = "Ổ gà sâu giữa đường Nguyễn Văn Linh, đoạn trước chợ — nguy hiểm cho xe máy ban đêm"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>'
OFFSET = "+07:00"


def jpeg(size: tuple[int, int] = (120, 90), color: str = "orange", **save_args: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_args)
    return buffer.getvalue()


def parse_xml(response: Any) -> Any:
    """The XML root, after checking the declaration and the content type (defusedxml parses it)."""
    assert response["Content-Type"] == "text/xml; charset=utf-8", response["Content-Type"]
    assert response.content.startswith(XML_DECLARATION), response.content[:80]
    return SafeET.fromstring(response.content)


def parse_json(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8", response["Content-Type"]
    return json.loads(response.content.decode("utf-8"))


def xml_requests(root: Any) -> list[dict[str, str | None]]:
    """<service_requests><request>… as a list of {tag: text} (simple fields only)."""
    assert root.tag == "service_requests", root.tag
    return [{child.tag: child.text for child in item} for item in root.findall("request")]


def errors_of(response: Any, fmt: str) -> list[tuple[int, str]]:
    """The spec's error body as [(code, description)] in either format."""
    if fmt == "json":
        body = parse_json(response)
        assert isinstance(body, list), body
        return [(int(e["code"]), str(e["description"])) for e in body]
    root = parse_xml(response)
    assert root.tag == "errors", root.tag
    return [(int(e.findtext("code")), str(e.findtext("description"))) for e in root.findall("error")]


class Open311Mixin(Personas):
    """Personas (the information system's token holds open311.submit), the territory and three categories."""

    road: Category
    light: Category
    closed_category: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_set(
            actor=system_actor(),
            profile=settings.IOC_PROFILE,
            name="Tỉnh Hưng Yên",
            root_code="33",
            act_date=dt.date(2025, 7, 1),
        )
        cls.road = services.category_create(
            actor=system_actor(),
            code="o311-road",
            name="Đường hư hỏng, ổ gà",
            description="Mặt đường lún, nứt, ổ gà, nắp hố ga mất",
            group="Hạ tầng giao thông",
            keywords="đường,ổ gà,hố ga",
            default_agency=cls.agency_a,
            handling_hours=16,
        )
        cls.light = services.category_create(
            actor=system_actor(),
            code="o311-light",
            name="Đèn chiếu sáng công cộng hỏng",
            group="Hạ tầng đô thị",
            default_agency=cls.agency_a,
            evidence_photo_required=False,
        )
        cls.closed_category = services.category_create(
            actor=system_actor(), code="o311-retired", name="Lĩnh vực đã ngừng", is_active=False
        )

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        caches["default"].clear()  # rate-limit counters start at zero in every test
        self.client = Client()

    # --- the third-party client ---

    def fields(self, **overrides: Any) -> dict[str, Any]:
        lat, lon = point_in()
        data: dict[str, Any] = {
            "api_key": self.system_token,
            "service_code": self.road.code,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": DESCRIPTION,
            "first_name": "Thị Lan",
            "last_name": CANARY_NAME,
            "email": CANARY_EMAIL,
            "phone": CANARY_PHONE,
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def post_request(self, fmt: str = "json", *, multipart: bool = False, **overrides: Any) -> Any:
        data = self.fields(**overrides)
        if multipart:
            return self.client.post(f"{BASE}/requests.{fmt}", data)
        from urllib.parse import urlencode

        return self.client.post(
            f"{BASE}/requests.{fmt}",
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded; charset=utf-8",
        )

    def created_code(self, response: Any, fmt: str = "json") -> str:
        assert response.status_code == 200, response.content.decode()
        if fmt == "json":
            body = parse_json(response)
            return str(body[0]["service_request_id"])
        return str(xml_requests(parse_xml(response))[0]["service_request_id"])

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"{BASE}/{path}", query)

    # --- moving reports through the real services ---

    def receive(self, *, category: Category | None = None, **overrides: Any) -> Report:
        lat, lon = point_in()
        fields: dict[str, Any] = {
            "channel": "web",
            "category": category or self.road,
            "description": DESCRIPTION,
            "lat": lat,
            "lon": lon,
            "contact": services.ContactInput(
                name=f"Nguyễn {CANARY_NAME}", phone=CANARY_PHONE, email=CANARY_EMAIL, consent_processing=True
            ),
        }
        fields.update(overrides)
        return services.report_receive(**fields).report

    def forward(self, report: Report) -> Report:
        services.report_verify(report=report, actor=self.operator)
        services.report_forward(report=report, actor=self.operator)
        report.refresh_from_db()
        return report

    def publish(self, report: Report, *, result: str = "Đã vá xong ổ gà.") -> Report:
        """Forward (unless already), accept, resolve with a photo, then publish with every photo public."""
        from ioc.common.images import image_clean

        if report.status == "received":
            report = self.forward(report)
        assert report.assignment_id is not None
        assignment = Assignment.objects.get(pk=report.assignment_id)
        assignment = assignment_services.assignment_accept(assignment=assignment, actor=self.officer_a)
        assignment_services.assignment_resolve(
            assignment=assignment, actor=self.officer_a, resolution=result, evidence=[image_clean(jpeg(color="green"))]
        )
        report.refresh_from_db()
        ids = list(report.photos.values_list("pk", flat=True))
        services.report_publish(report=report, actor=self.operator, result=result, public_photo_ids=ids)
        report.refresh_from_db()
        return report
