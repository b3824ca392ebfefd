"""R10.3 (002:7.1, 000:15.6): assets and their maintenance — plans by interval or date, records with a result,
durable reminders (one per asset × due date, sent by due time), faults: one that stops operation raises
`operations.equipment_fault` and its repair goes to the maintaining agency (`assignment_forward`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import RoleAssignment, User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import services as assignments
from ioc.audit.services import audit_record
from ioc.common.choices import Severity
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.incidents import services as incidents
from ioc.notifications.services import notification_enqueue
from ioc.operations import permissions
from ioc.operations.choices import (
    MAINTENANCE_REMINDER_DAYS,
    REPAIR_PROCESS,
    REPAIR_WORKING_HOURS,
    AssetKind,
    FaultState,
    MaintenanceResult,
    ReminderState,
)
from ioc.operations.models import Asset, Fault, MaintenancePlan, MaintenanceRecord, MaintenanceReminder
from ioc.operations.services._base import clean_text, today
from ioc.worktime.selectors import LOCAL_TZ

FAULT_KIND = "operations.equipment_fault"
REMINDER_TEMPLATE = "operations.maintenance_due"


def require_asset_keeper(actor: Any) -> None:
    """R10.3: the IOC's staff, the administrator and the managing body keep the assets."""
    if not (actor_has_role(actor, {*IOC_STAFF_ROLES, Role.SYSTEM_ADMIN}) or permissions.is_managing_member(actor)):
        raise PermissionDenied(_("Chỉ cán bộ IOC và cơ quan quản lý quản lý tài sản / Not allowed"))


@transaction.atomic
def asset_create(
    *,
    actor: User,
    kind: str,
    name: str,
    owner_agency: Agency,
    maintainer: Agency | None = None,
    handover_no: str = "",
    handover_date: dt.date | None = None,
    location: str = "",
    serial: str = "",
    warranty_until: dt.date | None = None,
    camera_code: str = "",
) -> Asset:
    """R10.3: an asset handed over to the center."""
    require_asset_keeper(actor)
    if kind not in AssetKind.values:
        raise ValidationError({"kind": [_("Loại tài sản không hợp lệ / Unknown kind")]})
    asset = Asset.objects.create(
        kind=kind,
        name=clean_text(name, field="name", limit=200),
        owner_agency=owner_agency,
        maintainer=maintainer,
        handover_no=clean_text(handover_no, field="handover_no", required=False, limit=60),
        handover_date=handover_date,
        location=clean_text(location, field="location", required=False, limit=200),
        serial=clean_text(serial, field="serial", required=False, limit=100),
        warranty_until=warranty_until,
        camera_code=clean_text(camera_code, field="camera_code", required=False, limit=100),
    )
    audit_record(actor=actor, action="asset.create", obj=asset, changes={"kind": kind, "name": asset.name})
    return asset


def _remind(asset: Asset, due_on: dt.date | None) -> None:
    """The durable reminder of (asset, due date), created once."""
    if due_on is None:
        return
    at = dt.datetime.combine(due_on - dt.timedelta(days=MAINTENANCE_REMINDER_DAYS), dt.time(8), LOCAL_TZ)
    MaintenanceReminder.objects.get_or_create(asset=asset, due_on=due_on, defaults={"due_at": at})


@transaction.atomic
def maintenance_plan_set(
    *,
    actor: User,
    asset: Asset,
    title: str,
    interval_days: int | None = None,
    due_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> MaintenancePlan:
    """R10.3 (002:7.1): a plan every `interval_days` (first due on `due_on`, else one interval from today) or once
    on `due_on`; a plan with neither is refused."""
    require_asset_keeper(actor)
    name = clean_text(title, field="title", limit=200)
    if interval_days is None and due_on is None:
        raise ValidationError(
            {"interval_days": [_("Cần chu kỳ hoặc ngày đến hạn / An interval or a date is required")]}
        )
    if interval_days is not None and not 1 <= interval_days <= 3650:
        raise ValidationError({"interval_days": [_("Chu kỳ từ 1 đến 3650 ngày / Between 1 and 3650 days")]})
    first_due = due_on or today(now) + dt.timedelta(days=interval_days or 0)
    plan = MaintenancePlan.objects.create(asset=asset, title=name, interval_days=interval_days, due_on=first_due)
    _remind(asset, first_due)
    changes = {"interval_days": interval_days, "due_on": first_due.isoformat()}
    audit_record(actor=actor, action="maintenance_plan.set", obj=plan, changes=changes)
    return plan


@transaction.atomic
def maintenance_record(
    *,
    actor: User,
    asset: Asset,
    done_on: dt.date,
    result: str,
    note: str = "",
    plan: MaintenancePlan | None = None,
    now: dt.datetime | None = None,
) -> MaintenanceRecord:
    """R10.3: a check done; its plan's next due date moves one interval on (a one-off plan is finished)."""
    require_asset_keeper(actor)
    if result not in MaintenanceResult.values:
        raise ValidationError({"result": [_("Kết quả không hợp lệ / Unknown result")]})
    if done_on > today(now):
        raise ValidationError({"done_on": [_("Ngày thực hiện ở tương lai / The date is in the future")]})
    if plan is not None and plan.asset_id != asset.pk:
        raise ValidationError({"plan": [_("Kế hoạch không thuộc tài sản này / Another asset's plan")]})
    record = MaintenanceRecord.objects.create(
        asset=asset,
        plan=plan,
        done_on=done_on,
        result=result,
        note=clean_text(note, field="note", required=False, limit=2000),
        recorded_by=actor,
    )
    if plan is not None:
        _advance(plan, done_on)
    audit_record(actor=actor, action="maintenance.record", obj=record, changes={"result": result})
    return record


def _advance(plan: MaintenancePlan, done_on: dt.date) -> None:
    old = plan.due_on
    if plan.interval_days:
        plan.due_on = done_on + dt.timedelta(days=plan.interval_days)
    else:
        plan.due_on, plan.is_active = None, False
    plan.save(update_fields=["due_on", "is_active"])
    still_due = MaintenancePlan.objects.filter(asset_id=plan.asset_id, due_on=old, is_active=True).exists()
    if old is not None and not still_due:
        MaintenanceReminder.objects.filter(asset_id=plan.asset_id, due_on=old, state=ReminderState.PENDING).update(
            state=ReminderState.DROPPED
        )
    _remind(plan.asset, plan.due_on)


def _reminder_recipients() -> list[User]:
    holders = RoleAssignment.objects.filter(
        role__in=[Role.IOC_LEADER, Role.IOC_OPERATOR], revoked_at__isnull=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).order_by("pk"))


def maintenance_reminders_send(*, now: dt.datetime | None = None) -> int:
    """R10.3: send the reminders whose time has come, each claimed once by a conditional UPDATE (safe to run twice,
    to be killed at any line: the outbox dedup key `operations.maintenance:<asset>:<due date>` refuses a repeat)."""
    now = now or timezone.now()
    due = MaintenanceReminder.objects.filter(state=ReminderState.PENDING, due_at__lte=now).select_related("asset")
    recipients = _reminder_recipients()
    sent = 0
    for reminder in due.order_by("due_at", "pk"):
        with transaction.atomic():
            claimed = MaintenanceReminder.objects.filter(pk=reminder.pk, state=ReminderState.PENDING)
            if not claimed.update(state=ReminderState.SENT, sent_at=now):
                continue
            notification_enqueue(
                event="operations.maintenance_due",
                recipients=recipients,
                template=REMINDER_TEMPLATE,
                context={"asset": reminder.asset.name, "due_on": f"{reminder.due_on:%d/%m/%Y}"},
                dedup_key=f"operations.maintenance:{reminder.asset_id}:{reminder.due_on.isoformat()}",
            )
            sent += 1
    return sent


@transaction.atomic
def fault_report(*, actor: User, asset: Asset, description: str, stops_operation: bool) -> Fault:
    """R10.3 (000:15.6): a fault; one that stops operation raises its alert and forwards the repair to the
    maintaining agency (no prior approval needed: recorded and reported)."""
    require_asset_keeper(actor)
    fault = Fault.objects.create(
        asset=asset,
        description=clean_text(description, field="description", limit=4000),
        stops_operation=stops_operation,
        reported_by=actor,
    )
    if stops_operation:
        ioc_actor = actor if actor_has_role(actor, IOC_STAFF_ROLES) else system_account()
        alert = incidents.alert_raise(
            source="operations",
            dedup_key=f"asset:{asset.pk}",
            kind=FAULT_KIND,
            severity=Severity.HIGH,
            title=(_("Thiết bị ngừng hoạt động: %(name)s") % {"name": asset.name})[:200],
            occurred_at=fault.reported_at,
            payload={"description": fault.description, "asset": asset.pk, "fault": fault.pk},
            actor=ioc_actor,
        )
        fault.alert_id_ref = alert.pk
        if asset.maintainer is not None:
            work = assignments.assignment_forward(
                process=REPAIR_PROCESS,
                subject_id=f"fault-{fault.pk}",
                subject_label=(_("Sửa chữa: %(name)s") % {"name": asset.name})[:200],
                category_code="equipment",
                agency=asset.maintainer,
                working_hours=REPAIR_WORKING_HOURS,
                instructions=fault.description[:2000],
                actor=ioc_actor,
            )
            fault.assignment_id_ref = work.pk
        fault.save(update_fields=["alert_id_ref", "assignment_id_ref"])
    audit_record(actor=actor, action="fault.report", obj=fault, changes={"stops_operation": stops_operation})
    return fault


@transaction.atomic
def fault_repaired(*, actor: User | None, fault: Fault, now: dt.datetime | None = None) -> Fault:
    """R10.3: the fault is repaired (by the maintainer's resolved work, or recorded by the IOC): its alert ends."""
    if actor is not None and not actor_has_role(actor, {Role.AGENCY_OFFICER, Role.AGENCY_HEAD}):
        require_asset_keeper(actor)
    locked = Fault.objects.select_for_update().get(pk=fault.pk)
    if locked.state != FaultState.OPEN:
        raise ValidationError({"state": [_("Sự cố đã được khắc phục / Already repaired")]})
    locked.state, locked.repaired_at = FaultState.REPAIRED, now or timezone.now()
    locked.save(update_fields=["state", "repaired_at"])
    if locked.stops_operation:
        incidents.alert_resolve(
            source="operations",
            dedup_key=f"asset:{locked.asset_id}",
            resolved_at=locked.repaired_at,
            actor=system_account(),
        )
    audit_record(actor=actor, action="fault.repaired", obj=locked)
    return locked
