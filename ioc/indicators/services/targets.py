"""R2.3: plan targets — annual (the year's id) or per period — for the territory or a commune."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ioc.audit.services import audit_record
from ioc.common.periods import period_parse
from ioc.indicators.choices import Level
from ioc.indicators.models import Indicator, Target
from ioc.indicators.periods import matches
from ioc.indicators.services._base import CATALOG_ROLES, require_roles, territory_unit_ids
from ioc.indicators.services.recompute import indicators_recompute

if TYPE_CHECKING:
    from ioc.accounts.models import User


def _check(indicator: Indicator, unit_id: int | None, period: str, value: float) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not indicator.is_active:
        errors["indicator"] = ["Chỉ số đã thôi áp dụng, không đặt chỉ tiêu / The indicator is retired"]
    try:
        period_parse(period)
        if not (matches(period, "year") or matches(period, indicator.period_type)):
            errors["period"] = ["Chỉ tiêu theo năm hoặc theo kỳ của chỉ số / A year or the indicator's period"]
    except ValidationError:
        errors["period"] = ["Kỳ không hợp lệ (2025, 2025Q3, 202507) / Invalid period"]
    level = Level.TERRITORY if unit_id is None else Level.COMMUNE
    if level not in indicator.levels or (unit_id is not None and unit_id not in territory_unit_ids()):
        errors["unit"] = ["Đơn vị không thuộc các cấp báo cáo của chỉ số / Unit outside the indicator's levels"]
    if not math.isfinite(value) or (value < 0 and not indicator.allow_negative):
        errors["value"] = ["Chỉ tiêu phải là số hữu hạn, không âm / A finite, non-negative number"]
    return errors


@transaction.atomic
def target_set(*, actor: User, indicator: Indicator, unit_id: int | None, period: str, value: float) -> Target:
    """R2.3: set (or change) a target; statuses and warnings of that period and year are recomputed."""
    require_roles(actor, CATALOG_ROLES, "Chỉ lãnh đạo hoặc quản trị hệ thống đặt chỉ tiêu")
    errors = _check(indicator, unit_id, period, value)
    if errors:
        raise ValidationError(errors)
    target, _created = Target.objects.update_or_create(
        indicator=indicator, unit_id=unit_id, period=period, defaults={"value": value, "set_by": actor}
    )
    audit_record(
        actor=actor,
        action="indicator_target.set",
        obj=target,
        changes={"indicator": indicator.code, "unit": unit_id, "period": period, "value": value},
    )
    indicators_recompute(actor=actor, indicator_ids={indicator.pk}, periods={period})
    return target
