"""Shared set-up of the indicator tests: the territory (province 33 of the test subset) and a small catalogue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ioc.accounts.testing import system_actor
from ioc.geo.models import AdminUnit, Territory
from ioc.geo.services import territory_set
from ioc.indicators import services
from ioc.indicators.models import CatalogVersion
from ioc.indicators.services import IndicatorSpec

DECISION: dict[str, Any] = {"decision_no": "15/QĐ-UBND", "decision_date": dt.date(2025, 9, 1), "signer": "Chủ tịch"}


def territory() -> Territory:
    return territory_set(
        actor=system_actor(), profile="hung-yen", name="Tỉnh Hưng Yên", root_code="33", act_date=dt.date(2025, 9, 21)
    )


def communes(n: int = 3) -> list[AdminUnit]:
    return list(AdminUnit.objects.filter(territories__profile="hung-yen").order_by("code")[:n])


def spec(code: str, **extra: Any) -> IndicatorSpec:
    base: dict[str, Any] = {
        "code": code,
        "name": f"Chỉ số {code}",
        "unit_label": "tỷ đồng",
        "sector": "kinh-te",
        "period_type": "month",
        "levels": ["territory", "commune"],
        "definition": f"Định nghĩa {code}",
        "agency": "persona-agency-a",
    }
    base.update(extra)
    return base  # type: ignore[return-value]


def catalogue(actor: Any, *specs: IndicatorSpec) -> CatalogVersion:
    return services.catalog_version_approve(actor=actor, add=list(specs), **DECISION)
