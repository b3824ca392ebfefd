"""Categories and routing rules (R3.2, R3.3): what reports are about and which agency handles them where."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.audit.services import audit_record
from ioc.citizen_reports import permissions, selectors
from ioc.citizen_reports.models import Category, RoutingRule
from ioc.citizen_reports.services import _base
from ioc.geo.choices import Hierarchy, Level
from ioc.geo.models import AdminUnit

EDITABLE = (
    "name",
    "name_en",
    "description",
    "group",
    "keywords",
    "is_active",
    "default_agency",
    "handling_hours",
    "requires_leader_approval",
    "evidence_photo_required",
    "duplicate_radius_m",
    "duplicate_days",
)
MAX_HANDLING_HOURS = 24 * 365


def _require_config(actor: User) -> None:
    if not permissions.can_configure(actor):
        raise PermissionDenied(
            _("Chỉ quản trị hệ thống, lãnh đạo IOC được cấu hình / Only administrators and IOC leaders configure this")
        )


def _check(category: Category) -> None:
    hours = category.handling_hours
    if not isinstance(hours, int | float) or not math.isfinite(hours) or not 0 < hours <= MAX_HANDLING_HOURS:
        _base.refuse("handling_hours", _("Thời hạn phải lớn hơn 0 giờ / Handling time must be positive hours"))
    if category.default_agency is not None and not category.default_agency.is_active:
        _base.refuse("default_agency", _("Cơ quan đã ngừng hoạt động / Inactive agency"))
    category.full_clean(validate_unique=True)


def _value(category: Category, name: str) -> Any:
    value = getattr(category, name)
    return value.pk if isinstance(value, Agency) else value


@transaction.atomic
def category_create(*, actor: User, code: str, name: str, **fields: Any) -> Category:
    """R3.2: a new category; `fields` are any of EDITABLE. Setup and demo data act as the system account."""
    _require_config(actor)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name_: [_("Trường không sửa được / Not editable")] for name_ in sorted(unknown)})
    category = Category(code=str(code).strip(), name=str(name).strip(), **fields)
    _check(category)
    category.save()
    selectors.CATEGORIES.changed()
    audit_record(
        actor=actor,
        action="category.create",
        obj=category,
        changes={n: _value(category, n) for n in ("code", *EDITABLE)},
    )
    return category


@transaction.atomic
def category_update(*, category: Category, actor: User, **changes: Any) -> Category:
    """R3.2: change some of EDITABLE (the code never changes: Open311 clients keep it)."""
    _require_config(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name_: [_("Trường không sửa được / Not editable")] for name_ in sorted(unknown)})
    fresh = Category.objects.select_for_update().get(pk=category.pk)
    before = {n: _value(fresh, n) for n in changes}
    for name, value in changes.items():
        setattr(fresh, name, value)
    _check(fresh)
    fresh.save(update_fields=list(changes) or None)
    selectors.CATEGORIES.changed()
    for name in changes:
        setattr(category, name, getattr(fresh, name))
    after = {n: _value(fresh, n) for n in changes}
    audit_record(
        actor=actor,
        action="category.update",
        obj=fresh,
        changes={n: [before[n], after[n]] for n in changes if before[n] != after[n]},
    )
    return fresh


@transaction.atomic
def routing_rule_set(
    *, category: Category, unit: AdminUnit | None, agency: Agency | None, actor: User
) -> RoutingRule | None:
    """R3.3: the agency handling `category` in `unit` (None = the whole territory); `agency=None` removes it."""
    _require_config(actor)
    if unit is not None and (unit.hierarchy != Hierarchy.CURRENT or unit.level != Level.COMMUNE):
        _base.refuse("unit", _("Phải là một xã, phường (từ 01/7/2025) / Must be a 2025 commune or ward"))
    if agency is not None and not agency.is_active:
        _base.refuse("agency", _("Cơ quan đã ngừng hoạt động / Inactive agency"))
    existing = RoutingRule.objects.filter(category=category, unit=unit).first()
    before = existing.agency.code if existing else None
    rule: RoutingRule | None = None
    if agency is None:
        if existing is not None:
            existing.delete()
    elif existing is not None:
        existing.agency = agency
        existing.save(update_fields=["agency"])
        rule = existing
    else:
        rule = RoutingRule.objects.create(category=category, unit=unit, agency=agency)
    audit_record(
        actor=actor,
        action="routing_rule.set",
        obj=category,
        changes={"unit": unit.code if unit else None, "agency": [before, agency.code if agency else None]},
    )
    return rule
