"""Reads of the audit trail (R7.3): the operators' filtered list, the chain status and `audit_verify`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from ioc.audit.chain import anchor_path as anchor_path  # R10.1: the backup copies the anchor file
from ioc.audit.models import AuditEntry, ChainHead
from ioc.audit.verify import VerifyResult, audit_verify
from ioc.common.roles import Role

__all__ = [
    "AUDIT_READER_ROLES",
    "AuditCounts",
    "AuditFilters",
    "ChainStatus",
    "VerifyResult",
    "audit_chain_status",
    "audit_counts",
    "audit_entry_list",
    "audit_verify",
    "can_read_audit",
]

# R7.3: who may read the audit trail (the page, the API and the admin list).
AUDIT_READER_ROLES = (Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER)
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class AuditFilters:
    """R7.3: the operators' filters. Dates are calendar days in Asia/Ho_Chi_Minh, both ends included."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    request_id: str = ""


@dataclass(frozen=True)
class ChainStatus:
    """R7.3: the last sealed position and how many entries wait for the sealer."""

    last_position: int
    sealed_at: dt.datetime | None
    unsealed: int


def can_read_audit(*, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(set(getattr(user, "role_codes", frozenset())) & set(AUDIT_READER_ROLES))


def audit_entry_list(*, user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """R7.3: entries newest first, filtered; only administrators, IOC operators and IOC leaders may read."""
    if not can_read_audit(user=user):
        raise PermissionDenied("Không có quyền xem nhật ký / Not allowed to read the audit trail")
    qs = AuditEntry.objects.order_by("-id")
    return _apply(qs, filters or AuditFilters())


@dataclass(frozen=True)
class AuditCounts:
    """R7.3, R8.1: how many entries a set of days holds, and how many per area (the part of `action` before its
    first dot: `report`, `account`, `incident`…)."""

    total: int
    by_area: dict[str, int]


def audit_counts(*, user: Any, date_from: dt.date, date_to: dt.date) -> AuditCounts:
    """R7.3, R8.1 (the reports' accounts section): the entries of the local days `date_from`–`date_to` (both
    included, as the audit page filters), counted per area in one GROUP BY over the actions. The same readers as
    `audit_entry_list` (PermissionDenied for anyone else)."""
    entries = audit_entry_list(user=user, filters=AuditFilters(date_from=date_from, date_to=date_to))
    by_area: dict[str, int] = {}
    for action, n in entries.order_by().values_list("action").annotate(n=Count("pk")):
        area = action.split(".", 1)[0]
        by_area[area] = by_area.get(area, 0) + n
    return AuditCounts(total=sum(by_area.values()), by_area=by_area)


def _apply(qs: QuerySet[AuditEntry], f: AuditFilters) -> QuerySet[AuditEntry]:
    if f.actor:
        condition = Q(actor_label__icontains=f.actor)
        if f.actor.isascii() and f.actor.isdigit() and len(f.actor) <= 18:
            condition |= Q(actor_id=int(f.actor))
        qs = qs.filter(condition)
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    exact = {"object_type": f.object_type, "object_id": f.object_id, "request_id": f.request_id}
    qs = qs.filter(**{name: value for name, value in exact.items() if value})
    if f.date_from:
        qs = qs.filter(created_at__gte=_local_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_local_midnight(f.date_to + dt.timedelta(days=1)))
    return qs


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def audit_chain_status() -> ChainStatus:
    """R7.3: shown on the audit page (two queries)."""
    head = ChainHead.objects.filter(id=1).first()
    unsealed = AuditEntry.objects.filter(position__isnull=True).count()
    if head is None:
        return ChainStatus(last_position=0, sealed_at=None, unsealed=unsealed)
    return ChainStatus(last_position=head.position, sealed_at=head.sealed_at, unsealed=unsealed)
