"""Reads of the web shell: the profile's locality, the worker's heartbeat, the home pages' figures (R7.1).

Figures of other apps come from their selectors; this module only shapes them for the shell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ioc.accounts import selectors as account_selectors
from ioc.accounts.choices import RequestStatus
from ioc.agencies import selectors as agency_selectors
from ioc.agencies.models import Agency
from ioc.audit import selectors as audit_selectors
from ioc.common.context import request_memo
from ioc.common.workitems import (
    URGENCY_AT_RISK,
    URGENCY_OTHER,
    URGENCY_OVERDUE,
    URGENCY_SEVERE,
    WorkFilter,
    WorkItem,
    work_item_providers,
    work_items_collect,
)
from ioc.geo import selectors as geo_selectors
from ioc.notifications import selectors as notification_selectors
from ioc.web.models import WorkerHeartbeat
from ioc.web.queue_items import queue_items
from ioc.web.services import WORKER


def territory_of(*, profile: str) -> Any:
    """The profile's territory (`geo.selectors.territory_get`), read once a request (issue 20 "Speed": the
    operator's home asked three times — the header's locality, the home panel, the queue's commune filter)."""
    memo = request_memo()
    if memo is None:
        return geo_selectors.territory_get(profile=profile)
    key = ("web.territory", profile)
    if key not in memo:
        memo[key] = geo_selectors.territory_get(profile=profile)
    return memo[key]


def locality_name(*, profile: str) -> str:
    """The name of the profile's territory (Tỉnh Hưng Yên), or a neutral label before it is loaded."""
    territory = territory_of(profile=profile)
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
    territory = territory_of(profile=profile)
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
    """Where the map reads the territory's communes' boundaries (GeoJSON from /api/v1/geo/, no tile server), and
    their box "west,south,east,north" (issue 20: the map fits it at once and asks for its point layers while the
    communes' shapes are on their way; written as plain numbers, never localised)."""
    if not territory.loaded or not territory.commune_count:
        return {}
    config = {"boundaries_url": reverse("geo_api:territory-boundaries"), "root_code": territory.root_code}
    bounds = geo_selectors.territory_bounds_text(profile=settings.IOC_PROFILE)
    if bounds:
        config["bounds"] = bounds
    return config


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
    return [label for label, _provider in work_item_providers()]


def work_items(*, user: Any) -> list[WorkItem]:
    """DESIGN "Map hooks": every domain's work items for this user, in one list, most urgent first."""
    return work_items_collect(user=user, now=timezone.now())


QUEUE_PAGE_SIZE = 20
SOURCE_LABELS: dict[str, Any] = {
    "citizen_reports": gettext_lazy("Phản ánh"),
    "incidents": gettext_lazy("Cảnh báo, sự cố"),
    "assignments": gettext_lazy("Việc chuyển cơ quan"),
    "datahub": gettext_lazy("Dữ liệu phải gửi"),
    "sharing": gettext_lazy("Yêu cầu chia sẻ dữ liệu"),
    "indicators": gettext_lazy("Báo cáo chỉ tiêu"),
    "reporting": gettext_lazy("Báo cáo định kỳ"),
    "dossiers": gettext_lazy("Vi phạm giải quyết hồ sơ"),
    "media_watch": gettext_lazy("Thông tin trên mạng"),
}
BAND_LABELS: dict[int, Any] = {
    URGENCY_OVERDUE: gettext_lazy("Quá hạn"),
    URGENCY_AT_RISK: gettext_lazy("Sắp đến hạn"),
    URGENCY_SEVERE: gettext_lazy("Cảnh báo nghiêm trọng mới"),
    URGENCY_OTHER: gettext_lazy("Việc khác"),
}


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue as the page draws it: the item, its band and its age."""

    item: WorkItem
    band: int
    band_label: Any
    source_label: Any
    age: dt.timedelta | None


@dataclass(frozen=True)
class WorkQueue:
    """R7.1: one page of the operator's queue; `kinds` counts every kind (before the kind filter) for its chips."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    kinds: list[tuple[str, Any, int]]
    loud: list[WorkItem]

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def work_queue(
    *,
    user: Any,
    kind: str = "",
    agency_id: int | None = None,
    commune_id: int | None = None,
    page: int = 1,
    per_page: int = QUEUE_PAGE_SIZE,
) -> WorkQueue:
    """R7.1: the single queue sorted by urgency, filtered by agency and commune, then by kind (the source app),
    paged. Each source reads at most its own LIMIT of rows, so the queue never scans a table."""
    now = timezone.now()
    where = WorkFilter(agency_id=agency_id, commune_id=commune_id)
    items = queue_items(user=user, now=now, where=where)  # unfiltered: kept 2 s per user (issue 20 "Speed")
    counts: dict[str, int] = {}
    for item in items:
        counts[item.source] = counts.get(item.source, 0) + 1
    kinds = [(source, SOURCE_LABELS.get(source, source), n) for source, n in counts.items()]
    chosen = [item for item in items if not kind or item.source == kind]
    pages = max(1, -(-len(chosen) // per_page))
    page = min(max(1, page), pages)
    rows = [_row(item, now) for item in chosen[(page - 1) * per_page : page * per_page]]
    loud = [item for item in items if item.loud]
    return WorkQueue(rows, len(chosen), page, pages, kinds, loud)


def _row(item: WorkItem, now: dt.datetime) -> QueueRow:
    band = item.urgency(now)
    return QueueRow(item, band, BAND_LABELS[band], SOURCE_LABELS.get(item.source, item.source), item.age(now))


def work_queue_kinds() -> list[tuple[str, Any]]:
    """The kinds (source apps) installed in this deployment, for the queue's filter."""
    return [(label, SOURCE_LABELS.get(label, label)) for label in work_item_sources()]


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
