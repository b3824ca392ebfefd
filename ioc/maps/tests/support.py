"""Shared set-up of the map tests: the personas, the hung-yen territory, a road category routed to agency A and
helpers that file reports through the real services at a commune's representative point. No tests here."""

from __future__ import annotations

from typing import Any

import shapely

from ioc.accounts.testing import Personas, system_actor
from ioc.citizen_reports import services
from ioc.citizen_reports.models import Category, Report
from ioc.geo import testing as geo_testing
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES

COMMUNE = HUNG_YEN_COMMUNES[0]
OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]
OUTSIDE_COMMUNE = "00070"  # Phường Hoàn Kiếm, Hà Nội: loaded, but outside the hung-yen territory
CANARY_PHONE = "0900000789"
BOX = "105.5,20.2,107.0,21.2"  # west,south,east,north around the test communes of Hưng Yên


def layer_url(
    layer: str = "citizen_reports",
    *,
    bbox: str = BOX,
    zoom: int | str = 14,
    compact: str | None = None,
    public: bool = False,
) -> str:
    """A layer's address (`/api/v1/maps/[public/]layers/<layer>/?bbox=&zoom=[&compact=]`) over the test box."""
    where = "public/layers" if public else "layers"
    tail = "" if compact is None else f"&compact={compact}"
    return f"/api/v1/maps/{where}/{layer}/?bbox={bbox}&zoom={zoom}{tail}"


def unit(code: str = COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    p = shapely.from_geojson(unit(code).geometry).representative_point()
    return float(p.y), float(p.x)


def territory_ensure() -> None:
    geo_testing.territory_ensure(actor=system_actor())


class MapWorld(Personas):
    """Personas, the territory and a category routed to agency A."""

    road: Category

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        territory_ensure()
        cls.road = services.category_create(
            actor=system_actor(),
            code="map-road",
            name="Đường hư hỏng",
            default_agency=cls.agency_a,
            handling_hours=16,
            evidence_photo_required=False,
        )

    @classmethod
    def report(cls, *, code: str = COMMUNE, lat: float | None = None, lon: float | None = None, **kw: Any) -> Report:
        if lat is None or lon is None:
            lat, lon = point_in(code)
        contact = services.ContactInput(
            name="Canary Bản Đồ",
            phone=CANARY_PHONE,
            email="map@canary.invalid",
            consent_processing=True,
            consent_share_with_agency=False,
        )
        fields: dict[str, Any] = {
            "channel": "web",
            "category": cls.road,
            "description": "Ổ gà giữa đường",
            "lat": lat,
            "lon": lon,
            "contact": contact,
        }
        fields.update(kw)
        return services.report_receive(**fields).report

    @classmethod
    def forward(cls, report: Report) -> Report:
        services.report_verify(report=report, actor=cls.operator)
        return services.report_forward(report=report, actor=cls.operator)
