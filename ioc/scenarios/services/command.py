"""The command view's writes (R4.4): checklist progress, resources as records, the leaders' decisions and notes
(each also a line of the incident's timeline)."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.audit.services import audit_record
from ioc.common.plaintext import clean_text
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.incidents import services as incident_services
from ioc.incidents.choices import INCIDENT_FINAL_STATES
from ioc.scenarios.choices import TEXT_MAX, ResourceStatus
from ioc.scenarios.models import Activation, ChecklistItem, Decision, Resource


def _require_ioc(actor: User) -> None:
    if not actor_has_role(actor, IOC_STAFF_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ vận hành, lãnh đạo IOC được thực hiện / Only IOC operators and leaders"))


def _require_open(activation: Activation) -> None:
    if activation.incident.state in INCIDENT_FINAL_STATES:
        raise ValidationError({"state": [_("Sự cố đã kết thúc / The incident is over")]})


@transaction.atomic
def checklist_item_set(*, item: ChecklistItem, done: bool, actor: User) -> ChecklistItem:
    """R4.4: tick (or untick) an item: the IOC, or an officer of the agency holding the item's assignment."""
    locked = ChecklistItem.objects.select_for_update().select_related("activation__incident").get(pk=item.pk)
    own = locked.assignment is not None and assignment_selectors.user_can_act(user=actor, assignment=locked.assignment)
    if not (own or actor_has_role(actor, IOC_STAFF_ROLES)):
        raise PermissionDenied(_("Cơ quan của bạn không giữ việc này / Your agency does not hold this item"))
    _require_open(locked.activation)
    locked.done_at, locked.done_by = (timezone.now(), actor) if done else (None, None)
    locked.save(update_fields=["done_at", "done_by"])
    audit_record(actor=actor, action="checklist.set", obj=locked, changes={"done": bool(done)})
    return locked


def _position(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        found = float(lat), float(lon)
    except (TypeError, ValueError) as error:
        raise ValidationError({"position": [_("Tọa độ không hợp lệ / Invalid coordinates")]}) from error
    if not all(math.isfinite(v) for v in found) or abs(found[0]) > 90 or abs(found[1]) > 180:
        raise ValidationError({"position": [_("Tọa độ không hợp lệ / Invalid coordinates")]})
    return found


@transaction.atomic
def resource_record(
    *,
    activation: Activation,
    actor: User,
    unit_name: str,
    kind: str,
    count: int,
    agency: Agency | None = None,
    status: str = ResourceStatus.STANDBY,
    lat: float | None = None,
    lon: float | None = None,
) -> Resource:
    """R4.4: a resource committed to the emergency (unit, kind, count, status, position, assigned at)."""
    _require_ioc(actor)
    _require_open(activation)
    unit_name, kind = (
        clean_text(unit_name, field="unit_name", required=True, max_length=200),
        clean_text(kind, field="kind", required=True, max_length=120),
    )
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100000:
        raise ValidationError({"count": [_("Số lượng từ 1 đến 100000 / count: 1–100000")]})
    if status not in ResourceStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ / Unknown status")]})
    lat, lon = _position(lat, lon)
    resource = Resource.objects.create(
        activation=activation,
        agency=agency,
        unit_name=unit_name,
        kind=kind,
        count=count,
        status=status,
        lat=lat,
        lon=lon,
    )
    audit_record(actor=actor, action="resource.record", obj=resource, changes={"count": count, "status": status})
    return resource


@transaction.atomic
def resource_status_set(*, resource: Resource, status: str, actor: User) -> Resource:
    """R4.4: a resource moves (standby, en route, deployed, released)."""
    _require_ioc(actor)
    if status not in ResourceStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ / Unknown status")]})
    locked = Resource.objects.select_for_update().select_related("activation__incident").get(pk=resource.pk)
    _require_open(locked.activation)
    before, locked.status = locked.status, status
    locked.save(update_fields=["status"])
    audit_record(actor=actor, action="resource.status", obj=locked, changes={"status": [before, status]})
    return locked


@transaction.atomic
def decision_record(*, activation: Activation, actor: User, text: str, is_decision: bool = True) -> Decision:
    """R4.4: a leader's decision (or an operator's note), also written on the incident's timeline."""
    _require_ioc(actor)
    _require_open(activation)
    text = clean_text(text, field="text", required=True, max_length=TEXT_MAX)
    if is_decision and not actor_has_role(actor, ["ioc_leader"]):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC ra quyết định chỉ đạo / Only the IOC leader decides"))
    decision = Decision.objects.create(activation=activation, is_decision=is_decision, text=text, by=actor)
    prefix = _("Chỉ đạo") if is_decision else _("Ghi chú")
    incident_services.incident_note(incident=activation.incident, actor=actor, text=f"{prefix}: {text}")
    audit_record(actor=actor, action="decision.record", obj=decision, changes={"is_decision": is_decision})
    return decision
