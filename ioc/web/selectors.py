"""Reads of the web shell: the profile's locality, the worker's heartbeat, the home pages' figures (R7.1).

Figures of other apps come from their selectors; this module only shapes them for the shell.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.accounts import selectors as account_selectors
from ioc.accounts.choices import RequestStatus
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency
from ioc.audit import selectors as audit_selectors
from ioc.geo import selectors as geo_selectors
from ioc.notifications import selectors as notification_selectors
from ioc.web.models import WorkerHeartbeat
from ioc.web.services import WORKER

FOUNDATION_APPS = frozenset({"common", "geo", "agencies", "accounts", "audit", "notifications", "worktime"})


def locality_name(*, profile: str) -> str:
    """The name of the profile's territory (Tỉnh Hưng Yên), or a neutral label before it is loaded."""
    territory = geo_selectors.territory_get(profile=profile)
    return territory.name if territory is not None else _("Chưa nạp địa bàn")


def worker_last_beat(*, name: str = WORKER) -> datetime | None:
    return WorkerHeartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


@dataclass(frozen=True)
class TerritorySummary:
    """R11: the deployment's territory as the shell shows it. `root_code` is the 2025 province when the territory is
    the whole of one; `provinces` names the 2025 province(s) its communes lie in; `former` the legacy unit the act
    was issued for (history)."""

    loaded: bool
    name: str
    root_code: str
    commune_count: int
    act_date: Any = None
    provinces: tuple[str, ...] = ()
    former: str = ""
    former_ref: str = ""


def territory_summary(*, profile: str) -> TerritorySummary:
    """R11: the profile's territory — its 2025 communes (how many, in which province) and its former unit."""
    territory = geo_selectors.territory_get(profile=profile)
    if territory is None:
        return TerritorySummary(False, _("Chưa nạp địa bàn"), "", 0)
    root_code = territory.root.code if territory.root else ""
    provinces = tuple(geo_selectors.territory_provinces(territory=territory).values_list("full_name", flat=True))
    former = geo_selectors.territory_former(territory=territory)
    return TerritorySummary(
        True,
        territory.name,
        root_code,
        territory.communes.count(),
        territory.act_date,
        provinces=provinces,
        former=former.full_name if former is not None else "",
        former_ref=territory.former_ref,
    )


def territory_map_config(*, territory: TerritorySummary) -> dict[str, str]:
    """Where the map reads the territory's communes' boundaries (GeoJSON from /api/v1/geo/, no tile server)."""
    if not territory.loaded or not territory.commune_count:
        return {}
    return {"boundaries_url": reverse("geo_api:territory-boundaries"), "root_code": territory.root_code}


def audit_status() -> dict[str, Any]:
    """R7.3: the audit chain's head and how many entries wait for the sealer."""
    status = audit_selectors.audit_chain_status()
    return {"position": status.last_position, "sealed_at": status.sealed_at, "unsealed": status.unsealed}


def outbox_status() -> dict[str, Any]:
    """The notifications outbox: age in seconds of the oldest undelivered message (None when empty)."""
    age = notification_selectors.outbox_oldest_undelivered_age()
    return {"oldest_seconds": int(age.total_seconds()) if age is not None else None}


def work_item_sources() -> list[str]:
    """The installed domain apps that feed the operator's single work queue (`<app>_work_items`)."""
    return [label for label, _provider in _work_item_providers()]


def _work_item_providers() -> list[tuple[str, Any]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ioc.") or config.label in FOUNDATION_APPS | {"web", "demo"}:
            continue
        try:
            module = importlib.import_module(f"{config.name}.selectors")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, f"{config.label}_work_items", None)
        if provider is not None:
            found.append((config.label, provider))
    return found


def work_items(*, user: Any) -> list[Any]:
    """DESIGN "Map hooks": every domain's work items for this user, in one list."""
    items: list[Any] = []
    for _label, provider in _work_item_providers():
        items.extend(provider(user=user))
    return items


def user_agency(*, user: Any) -> Agency | None:
    """The agency an officer or head works for (the account's agency, else the role's)."""
    return account_selectors.agency_of_user(user=user)


def agency_count() -> int:
    return agency_selectors.agency_list().count()


def account_figures() -> dict[str, int]:
    """R7.2: active accounts and account requests waiting for a decision."""
    users = account_selectors.user_list().filter(is_active=True)
    return {
        "active": users.filter(is_service_account=False).count(),
        "service": users.filter(is_service_account=True).count(),
        "pending_requests": account_selectors.account_request_list().filter(status=RequestStatus.PENDING).count(),
    }
