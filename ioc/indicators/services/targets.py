"""R2.3: plan targets — annual (the year's id) or per period — for the territory or a commune."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ioc.audit.services import audit_record, audit_record_bulk
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


@transaction.atomic
def targets_set_bulk(*, actor: User, rows: list[tuple[Indicator, int | None, str, float]]) -> int:
    """R2.3: many targets at once (a plan's whole table; the demo's history): each checked as `target_set` does,
    all or nothing, one audit entry, one recomputation."""
    require_roles(actor, CATALOG_ROLES, "Chỉ lãnh đạo hoặc quản trị hệ thống đặt chỉ tiêu")
    for n, (indicator, unit_id, period, value) in enumerate(rows, start=1):
        errors = _check(indicator, unit_id, period, value)
        if errors:
            raise ValidationError({f"row {n}.{k}": v for k, v in errors.items()})
    existing = {(t.indicator_id, t.unit_id, t.period): t for t in Target.objects.filter(
        indicator__in={r[0] for r in rows}, period__in={r[2] for r in rows})}  # fmt: skip
    new, changed = [], []
    for indicator, unit_id, period, value in rows:
        found = existing.get((indicator.pk, unit_id, period))
        if found is None:
            new.append(Target(indicator=indicator, unit_id=unit_id, period=period, value=value, set_by=actor))
        else:
            found.value, found.set_by = value, actor
            changed.append(found)
    Target.objects.bulk_create(new, batch_size=2000)
    Target.objects.bulk_update(changed, ["value", "set_by"], batch_size=2000)
    audit_record_bulk(actor=actor, action="indicator_target.set_bulk", object_type="indicators.target",
                      rows=[(i.code, u, p, v) for i, u, p, v in rows])  # fmt: skip
    indicators_recompute(actor=actor, indicator_ids={r[0].pk for r in rows}, periods={r[2] for r in rows})
    return len(rows)
