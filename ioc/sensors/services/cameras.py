"""Cameras (R5.2): the registry, analytics events (merged within a cooldown; above the type's confidence
threshold an alert `camera.<type>` goes to the incidents inbox), heartbeats and the silent-camera flag (a sweep
selecting by due time: last seen + heartbeat)."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.selectors import system_account
from ioc.audit.services import audit_record
from ioc.common.roles import actor_require_role
from ioc.geo.selectors import GeoInputError, grid_cell, unit_at_point
from ioc.incidents import services as incidents
from ioc.incidents.choices import KINDS, AlertSource
from ioc.sensors.choices import (
    CAMERA_EVENT_TYPES,
    CAMERA_STATUSES,
    HEARTBEAT,
    SNAPSHOT_SCHEMES,
    STREAM_SCHEMES,
    Sensitivity,
)
from ioc.sensors.models import Camera, CameraEvent
from ioc.sensors.selectors import writer_agency_id
from ioc.sensors.services.rules import CONFIG_ROLES

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency

CLOCK_SKEW = dt.timedelta(minutes=2)
CAMERA_FIELDS = (
    "name",
    "lat",
    "lon",
    "direction",
    "stream_url",
    "snapshot_url",
    "sensitivity",
    "status",
    "heartbeat_seconds",
)


def url_error(value: Any, schemes: tuple[str, ...]) -> str | None:
    """Why a URL is refused (None: accepted; blank is accepted)."""
    if value in ("", None):
        return None
    if not isinstance(value, str) or len(value) > 500:
        return _("Địa chỉ không hợp lệ")
    parts = urlsplit(value)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        return _("Địa chỉ phải bắt đầu bằng %(schemes)s") % {"schemes": ", ".join(f"{s}://" for s in schemes)}
    return None


def _field_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, schemes in (("stream_url", STREAM_SCHEMES), ("snapshot_url", SNAPSHOT_SCHEMES)):
        problem = url_error(data.get(name), schemes)
        if problem:
            errors[name] = [problem]
    direction = data.get("direction")
    if direction is not None and (not isinstance(direction, int) or not 0 <= direction < 360):
        errors["direction"] = [_("Hướng là số độ từ 0 đến 359")]
    if data.get("sensitivity") not in Sensitivity.values:
        errors["sensitivity"] = [_("Mức công khai không hợp lệ")]
    if data.get("status") not in CAMERA_STATUSES:
        errors["status"] = [_("Trạng thái không hợp lệ")]
    beat = data.get("heartbeat_seconds")
    if not isinstance(beat, int) or isinstance(beat, bool) or not 10 <= beat <= 86400:
        errors["heartbeat_seconds"] = [_("Chu kỳ tín hiệu từ 10 đến 86400 giây")]
    if not str(data.get("name") or "").strip():
        errors["name"] = [_("Cần tên camera")]
    return errors


def _place(lat: Any, lon: Any) -> tuple[Any, str]:
    try:
        return unit_at_point(lat=float(lat), lon=float(lon)), grid_cell(float(lat), float(lon))
    except (TypeError, ValueError, GeoInputError) as error:
        message = getattr(error, "message", "") or _("Tọa độ không hợp lệ")
        raise ValidationError({"lat": [str(message)]}) from error


def _write(camera: Camera, data: dict[str, Any]) -> None:
    errors = _field_errors(data)
    if errors:
        raise ValidationError(errors)
    unit, cell = _place(data.get("lat"), data.get("lon"))
    for name in CAMERA_FIELDS:
        setattr(camera, name, data.get(name))
    camera.unit, camera.grid_cell = unit, cell
    camera.save()


@transaction.atomic
def camera_create(*, actor: User, code: str, agency: Agency, **fields: Any) -> Camera:
    """R5.2: a camera in the registry (sensitivity internal unless given); its commune and grid cell from its
    point. Bad input: a ValidationError naming each field (a non-http(s) snapshot URL, a point outside…)."""
    actor_require_role(actor, CONFIG_ROLES, _("Chỉ IOC và quản trị hệ thống được khai báo camera"))
    unknown = set(fields) - set(CAMERA_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Trường không có")] for name in sorted(unknown)})
    data: dict[str, Any] = {"direction": None, "stream_url": "", "snapshot_url": "", "status": "active"}
    data |= {"sensitivity": Sensitivity.INTERNAL, "heartbeat_seconds": 300, **fields}
    if Camera.objects.filter(code=code).exists() or not code:
        raise ValidationError({"code": [_("Mã camera trống hoặc đã có")]})
    camera = Camera(code=code, agency=agency)
    _write(camera, data)
    audit_record(actor=actor, action="sensors.camera.create", obj=camera, changes={"code": code, **fields})
    return camera


@transaction.atomic
def camera_update(*, actor: User, camera: Camera, **fields: Any) -> Camera:
    """R5.2: change a camera (retire it with status `retired`); the same checks as `camera_create`."""
    actor_require_role(actor, CONFIG_ROLES, _("Chỉ IOC và quản trị hệ thống được khai báo camera"))
    unknown = set(fields) - set(CAMERA_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Trường không có")] for name in sorted(unknown)})
    before = {name: getattr(camera, name) for name in CAMERA_FIELDS}
    _write(camera, {**before, **fields})
    changes = {k: [before[k], fields[k]] for k in fields if before[k] != fields[k]}
    audit_record(actor=actor, action="sensors.camera.update", obj=camera, changes=changes)
    return camera


# --- events and heartbeats -------------------------------------------------------------------------------------


def _event_errors(event_type: str, at: Any, confidence: Any, snapshot_url: Any, now: dt.datetime) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if event_type != HEARTBEAT and event_type not in CAMERA_EVENT_TYPES:
        errors["type"] = [_("Loại sự kiện không có trong danh mục: “%(v)s”") % {"v": str(event_type)[:40]}]
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        errors["time"] = [_("Cần thời điểm có múi giờ")]
    elif at > now + CLOCK_SKEW:
        errors["time"] = [_("Thời điểm ở tương lai")]
    number = isinstance(confidence, int | float) and not isinstance(confidence, bool)
    if event_type != HEARTBEAT and (not number or not math.isfinite(confidence) or not 0 <= confidence <= 1):
        errors["confidence"] = [_("Độ tin cậy là số từ 0 đến 1")]
    problem = url_error(snapshot_url, SNAPSHOT_SCHEMES)
    if problem:
        errors["snapshot_url"] = [problem]
    return errors


def _camera_of(actor: User, code: str) -> Camera:
    camera = Camera.objects.select_for_update().filter(code=str(code or "")).first()
    if camera is None:
        raise ValidationError({"camera": [_("Không có camera mã “%(v)s”") % {"v": str(code)[:60]}]})
    if camera.agency_id != writer_agency_id(actor):
        raise PermissionDenied(_("Camera của cơ quan khác: không nhận sự kiện / Another agency's camera"))
    return camera


def _seen(camera: Camera, at: dt.datetime) -> None:
    if camera.last_seen_at is None or at > camera.last_seen_at:
        camera.last_seen_at = at
    camera.silent_since = None
    camera.save(update_fields=["last_seen_at", "silent_since"])


def _merge_target(camera: Camera, event_type: str, at: dt.datetime) -> CameraEvent | None:
    cooldown = dt.timedelta(seconds=CAMERA_EVENT_TYPES[event_type].cooldown_seconds)
    return (
        CameraEvent.objects.select_for_update()
        .filter(camera=camera, event_type=event_type, last_at__gte=at - cooldown, first_at__lte=at + cooldown)
        .order_by("-last_at")
        .first()
    )


def _raise(camera: Camera, event: CameraEvent) -> None:
    spec = CAMERA_EVENT_TYPES[event.event_type]
    if event.alert_raised or event.confidence < spec.threshold:
        return
    incidents.alert_raise(
        source=AlertSource.CAMERAS,
        dedup_key=f"camera:{camera.code}:{event.event_type}:{event.pk}",
        kind=spec.kind,
        severity=KINDS[spec.kind].default_severity,
        title=(_("%(type)s: %(camera)s") % {"type": event.event_type, "camera": camera.name})[:200],
        occurred_at=event.first_at,
        point=(camera.lat, camera.lon),
        payload={"camera": camera.code, "confidence": event.confidence, "snapshot_url": event.snapshot_url},
        actor=system_account(),
    )
    event.alert_raised = True
    event.save(update_fields=["alert_raised"])


@transaction.atomic
def camera_event_receive(
    *, actor: User, camera_code: str, event_type: str, at: dt.datetime, confidence: float | None, snapshot_url: str
) -> CameraEvent | None:
    """R5.2: an analytics engine's event (or heartbeat: None returned). A repeat of the same camera and type
    within the cooldown is merged; above the type's confidence threshold the event raises `camera.<type>`.
    Refused: another agency's camera (403), an unknown type, an event in the future, a non-http(s) snapshot."""
    errors = _event_errors(event_type, at, confidence, snapshot_url, timezone.now())
    camera = _camera_of(actor, camera_code)
    if errors:
        raise ValidationError(errors)
    _seen(camera, at)
    if event_type == HEARTBEAT:
        return None
    value = float(confidence or 0)
    event = _merge_target(camera, event_type, at)
    if event is None:
        event = CameraEvent.objects.create(
            camera=camera, event_type=event_type, first_at=at, last_at=at, confidence=value,
            snapshot_url=snapshot_url or "", received_by=actor,
        )  # fmt: skip
    else:
        event.count, event.last_at = event.count + 1, max(event.last_at, at)
        event.first_at, event.confidence = min(event.first_at, at), max(event.confidence, value)
        event.snapshot_url = snapshot_url or event.snapshot_url
        event.save()
    audit_record(actor=actor, action="sensors.camera_event.receive", obj=event, changes={"count": event.count})
    _raise(camera, event)
    return event


@transaction.atomic
def cameras_flag_silent(*, now: dt.datetime | None = None) -> int:
    """R5.2 (durable, by due time): active cameras whose last signal is older than their heartbeat are flagged
    silent (once; the next event or heartbeat clears the flag). Returns how many were flagged."""
    now = now or timezone.now()
    cameras = Camera.objects.filter(status="active", silent_since__isnull=True, last_seen_at__lt=now)
    due = [
        pk
        for pk, seen, beat in cameras.values_list("pk", "last_seen_at", "heartbeat_seconds")
        if seen is not None and seen + dt.timedelta(seconds=beat) < now
    ]
    return Camera.objects.filter(pk__in=due, silent_since__isnull=True).update(silent_since=now)
