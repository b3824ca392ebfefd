"""R7.1: what each role's home page shows, built from other apps' selectors only.

A user may hold several roles; the home page shows one panel per role family, in a fixed order.
Figures are real counts available now; a domain queue that no app fills yet is an honest empty state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

from ioc.accounts.choices import Role
from ioc.common.access import policy_of
from ioc.duty import selectors as duty_selectors
from ioc.maps.selectors import LAYERS, layer_versions
from ioc.web import overview, queue, selectors


@dataclass(frozen=True)
class Panel:
    """One block of the home page: its partial template and what it needs."""

    key: str
    title: Any
    template: str
    context: dict[str, Any] = field(default_factory=dict)


_LEADERS = frozenset({Role.IOC_LEADER, Role.PROVINCE_LEADER})
_AGENCY = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})


def panels_for(*, user: Any, roles: frozenset[str]) -> list[Panel]:
    """The panels of the roles this user holds (system admin, operator, leader, agency, display, citizen)."""
    panels: list[Panel] = []
    if Role.SYSTEM_ADMIN in roles:
        panels.append(admin_panel())
    if Role.IOC_OPERATOR in roles:
        panels.append(operator_panel(user=user))
    if roles & _LEADERS:
        panels.append(leader_panel(user=user))
    if roles & _AGENCY:
        panels.append(agency_panel(user=user, roles=roles))
    if Role.DISPLAY_SCREEN in roles:
        panels.append(Panel("display", _("Màn hình hiển thị"), "web/panels/display_link.html"))
    if not panels:
        panels.append(Panel("citizen", _("Tài khoản của bạn"), "web/panels/citizen.html"))
    return panels


def operator_panel(*, user: Any) -> Panel:
    """R7.1 (issue 20): the 24/7 desk — the previous shift's handover first (until acknowledged), the queue
    sorted by urgency with its filters and pager, severe alerts sounding until acknowledged."""
    territory = selectors.territory_summary(profile=settings.IOC_PROFILE)
    context, _valid = queue.queue_context(user=user)
    return Panel(
        "operator",
        _("Hàng đợi công việc của cán bộ vận hành"),
        "web/panels/operator.html",
        {
            "territory": territory,
            "audit": selectors.audit_status(),
            "outbox": selectors.outbox_status(),
            "work_sources": selectors.work_item_sources(),
            "handover": duty_selectors.handover_pending(user=user),
            **context,
        },
    )


def leader_panel(*, user: Any) -> Panel:
    """R5.4, issue 20: a leader opens on the overview's figures and warnings for their territory (read-only), the
    domains' tiles linking down to the sector dashboards, and the territory's map."""
    territory = selectors.territory_summary(profile=settings.IOC_PROFILE)
    figures, _version = overview.overview_cached(user=user)
    return Panel(
        "leader",
        _("Tổng quan địa bàn"),
        "web/panels/leader.html",
        {"territory": territory, "figures": figures, "map": selectors.territory_map_config(territory=territory)},
    )


def agency_panel(*, user: Any, roles: frozenset[str]) -> Panel:
    return Panel(
        "agency",
        _("Cơ quan của bạn"),
        "web/panels/agency.html",
        {
            "agency": selectors.user_agency(user=user),
            "is_head": Role.AGENCY_HEAD in roles,
            "work_items": selectors.work_items(user=user),
        },
    )


def admin_panel() -> Panel:
    return Panel(
        "admin",
        _("Quản trị hệ thống"),
        "web/panels/admin.html",
        {"accounts": selectors.account_figures(), "audit": selectors.audit_status()},
    )


# Issue 20: the layers the overview's map draws (read-only): the reports, incidents and sensors points.
OVERVIEW_LAYERS = ("citizen_reports", "incidents", "sensors")


def overview_layers(*, user: Any) -> list[dict[str, str]]:
    """R6.1 on the wall screen (issue 20): the map's point layers with their API URLs, when the map's API lets
    `user` read them (the same policy the API applies; each layer's hook then applies the user's scope)."""
    layers = []
    for code in OVERVIEW_LAYERS:
        url = reverse("maps_api:layer", args=[code])
        policy = policy_of(resolve(url).func)
        if code in LAYERS and policy is not None and policy.allows(user):
            layers.append({"code": code, "label": str(LAYERS[code].label), "url": url})
    return layers


def screen_version(*, user: Any, panels: str, layers: list[str] | None = None) -> tuple[str, dict[str, str]]:
    """Issue 20: what the wall screen shows, as one version (its ETag) and each point layer's own stamp: the screen
    swaps its panels when `panels` (the figures' version) moved and reloads only the layers whose stamp moved.
    `layers`: the codes of the screen's layers (default: those `user` may read)."""
    codes = [layer["code"] for layer in overview_layers(user=user)] if layers is None else layers
    stamps = layer_versions(codes=codes)
    if not stamps:
        return panels, {}
    joined = "|".join([panels, *(f"{code}={stamp}" for code, stamp in sorted(stamps.items()))])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16], stamps


def display_overview(*, user: Any) -> dict[str, Any]:
    """R7.4: the wall screen's frame (territory, map and its point layers); its live figures are
    `overview.overview_figures`."""
    territory = selectors.territory_summary(profile=settings.IOC_PROFILE)
    map_config = selectors.territory_map_config(territory=territory)
    return {
        "territory": territory,
        "agencies": selectors.agency_count(),
        "map": map_config,
        "layers": overview_layers(user=user) if map_config else [],
    }
