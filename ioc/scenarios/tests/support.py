"""Shared set-up of the scenario tests: personas (agency A a 24/7 fire-and-rescue force), communes, a flood
scenario's definition and helpers driving alerts through the real services. No tests here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.utils import timezone

from ioc.accounts.testing import Personas, system_actor
from ioc.agencies.choices import AgencyKind
from ioc.agencies.models import Agency
from ioc.geo.models import AdminUnit, Territory
from ioc.geo.services import territory_set
from ioc.geo.testing import HUNG_YEN_COMMUNES
from ioc.incidents import services as incident_services
from ioc.incidents.models import Alert
from ioc.scenarios import services
from ioc.scenarios.models import Scenario

COMMUNE = HUNG_YEN_COMMUNES[0]
OTHER_COMMUNE = HUNG_YEN_COMMUNES[9]


def unit(code: str = COMMUNE) -> AdminUnit:
    return AdminUnit.objects.get(hierarchy="2025", code=code)


def point_in(code: str = COMMUNE) -> tuple[float, float]:
    p = shapely.from_geojson(unit(code).geometry).representative_point()
    return float(p.y), float(p.x)


def territory() -> Territory:
    """The territory of the tests: province 33 of the test subset, whole."""
    return territory_set(
        actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=dt.date(2025, 9, 21)
    )


def flood_definition(agency_code: str, **overrides: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "incident": {"kind": "env.flood_level", "severity": 4, "title": "Ngập lụt khu dân cư"},
        "process": "time_bound",
        "triggers": [{"type": "alert", "kind": "env.flood_level", "min_severity": 3}],
        "area": {"type": "unit", "unit": COMMUNE},
        "steps": [
            {
                "agency": agency_code,
                "title": "Sơ tán dân khỏi vùng ngập",
                "deadline_hours": 4,
                "checklist": ["Lập danh sách hộ dân", "Bố trí điểm sơ tán"],
            }
        ],
        "message": "Triển khai phương án phòng chống lụt bão",
        "activates": [],
    }
    definition.update(overrides)
    return definition


class ScenarioMixin(Personas):
    """Personas, with agency A a 24/7 fire-and-rescue force (the immediate process) as well."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Agency.objects.filter(pk=cls.agency_a.pk).update(works_24x7=True, kind=AgencyKind.FIRE_RESCUE)
        cls.agency_a.refresh_from_db()

    def scenario(self, code: str = "lu-lut", **overrides: Any) -> Scenario:
        return services.scenario_create(
            actor=self.admin,
            code=code,
            name=f"Kịch bản {code}",
            group="thien-tai",
            definition=flood_definition(self.agency_b.code, **overrides),
        )

    def raise_alert(self, *, run_hooks: bool = True, **overrides: Any) -> Alert:
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
        with self.captureOnCommitCallbacks(execute=run_hooks):  # type: ignore[attr-defined]
            return incident_services.alert_raise(**fields)
