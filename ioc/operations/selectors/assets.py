"""R10.3: reads of the assets in the user's scope (the IOC's staff, the administrator and the managing body see all;
an agency's members the assets it owns or maintains), their plans, records, faults, and the maintenance calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from ioc.accounts.selectors import user_scope
from ioc.common.roles import Role, actor_has_role
from ioc.operations import permissions
from ioc.operations.models import Asset, Fault, MaintenancePlan, MaintenanceRecord


def _scoped(user: Any) -> QuerySet[Asset]:
    qs = Asset.objects.select_related("owner_agency", "maintainer")
    if permissions.sees_everything(user) or actor_has_role(user, {Role.SYSTEM_ADMIN}):
        return qs
    agencies = user_scope(user=user).agency_ids
    return qs.filter(Q(owner_agency_id__in=agencies) | Q(maintainer_id__in=agencies))


def asset_list(*, user: Any) -> QuerySet[Asset]:
    return _scoped(user).order_by("kind", "name", "pk")


def asset_get_for(*, user: Any, pk: int) -> Asset:
    found = _scoped(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def asset_plans(*, asset: Asset) -> QuerySet[MaintenancePlan]:
    return MaintenancePlan.objects.filter(asset=asset).order_by("-is_active", "due_on", "pk")


def asset_records(*, asset: Asset) -> QuerySet[MaintenanceRecord]:
    return MaintenanceRecord.objects.filter(asset=asset).select_related("plan", "recorded_by")[:50]


def asset_faults(*, asset: Asset) -> QuerySet[Fault]:
    return Fault.objects.filter(asset=asset)[:50]


def maintenance_calendar(*, user: Any, since: dt.date, days: int = 60) -> QuerySet[MaintenancePlan]:
    """R10.3: active plans due before `since + days` (overdue ones included), in the user's scope."""
    assets = _scoped(user).filter(is_active=True).values("pk")
    plans = MaintenancePlan.objects.filter(is_active=True, asset__in=assets, due_on__lt=since + dt.timedelta(days=days))
    return plans.select_related("asset").order_by("due_on", "pk")
