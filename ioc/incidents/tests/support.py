"""Shared set-up of the incidents tests: personas (agency A is a 24/7 fire-and-rescue force), a commune and
helpers that drive alerts and incidents through the real services. No tests here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.utils import timezone

from ioc.accounts.testing import Personas
from ioc.agencies.choices import AgencyKind
from ioc.agencies.models import Agency
from ioc.assignments.models import Assignment
from ioc.geo.models import AdminUnit
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.incidents import services
from ioc.incidents.models import Alert, Incident

COMMUNE = HUNG_YEN_COMMUNES[0]
OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]


def unit(code: str = COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    """A point surely inside a commune (its representative point)."""
    p = shapely.from_geojson(unit(code).geometry).representative_point()
    return float(p.y), float(p.x)


class IncidentsMixin(Personas):
    """Personas, with agency A a 24/7 fire-and-rescue force (immediate process) as well as an ordinary agency."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Agency.objects.filter(pk=cls.agency_a.pk).update(works_24x7=True, kind=AgencyKind.FIRE_RESCUE)
        cls.agency_a.refresh_from_db()

    def raise_alert(self, **overrides: Any) -> Alert:
        fields: dict[str, Any] = {
            "source": "sensors",
            "dedup_key": "station-7:flood",
            "kind": "env.flood_level",
            "severity": 3,
            "title": "Mực nước trạm 7 vượt báo động 2",
            "occurred_at": timezone.now() - dt.timedelta(minutes=1),
            "point": point_in(COMMUNE),
            "payload": {"level_cm": 182},
            "actor": self.system_user,
        }
        fields.update(overrides)
        return services.alert_raise(**fields)

    def open_incident(self, kind: str = "env.flood_level", commune: str = COMMUNE, **overrides: Any) -> Incident:
        alert = self.raise_alert(kind=kind, dedup_key=f"{kind}:{commune}", point=point_in(commune), **overrides)
        return services.alert_verify(alert=alert, actor=self.operator)

    def forwarded(self, agencies: list[Agency] | None = None) -> tuple[Incident, list[Assignment]]:
        incident = self.open_incident()
        parts = services.incident_forward(
            incident=incident, agencies=agencies or [self.agency_b], actor=self.operator, instructions="Xử lý ngay"
        )
        incident.refresh_from_db()
        return incident, parts

    def commune(self, code: str = COMMUNE) -> AdminUnit:
        return unit(code)
