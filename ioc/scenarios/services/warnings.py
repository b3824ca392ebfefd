"""Public warnings (R5.2, R5.5): an operator publishes a warning to the public — from an incident or on its own —
with its area (a polygon or communes), validity and instructions in Vietnamese (English when given); a severe one
(`is_severe`) waits for the IOC leader's approval. Updates and cancellations are new messages naming the original
(CAP <references>); the original then leaves the public list. Every refusal names its field; nothing half-done."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.assignments import selectors as assignment_selectors
from ioc.audit.services import audit_record
from ioc.common.choices import Severity, is_severe
from ioc.common.plaintext import has_markup
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.geo import selectors as geo_selectors
from ioc.incidents.models import Incident
from ioc.notifications.services import notification_enqueue
from ioc.scenarios.choices import CapCategory, Certainty, MessageType, Urgency, WarningState
from ioc.scenarios.models import PublicWarning

APPROVAL_TEMPLATE = "scenarios.warning_approval"
MAX_VALIDITY = dt.timedelta(days=30)
# A polygon may overrun the territory's border by this much (degrees, about 1 km): drawn by hand on a map.
BORDER_TOLERANCE = 0.01
W = WarningState


@dataclass(frozen=True)
class WarningDraft:
    """What an operator writes (R5.2): the CAP <info> of the warning and its <area>."""

    event: str
    category: str
    urgency: str
    certainty: str
    severity: int
    headline_vi: str
    description_vi: str
    instruction_vi: str
    area_desc: str
    onset: dt.datetime
    expires: dt.datetime
    area_geojson: dict[str, Any] | None = None
    unit_codes: Sequence[str] = field(default_factory=tuple)
    headline_en: str = ""
    description_en: str = ""
    instruction_en: str = ""


def _require_ioc(actor: User) -> None:
    if not actor_has_role(actor, IOC_STAFF_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ vận hành, lãnh đạo IOC phát hành cảnh báo / Only the IOC publishes"))


def _require_leader(actor: User) -> None:
    if not actor_has_role(actor, [Role.IOC_LEADER]):
        raise PermissionDenied(_("Chỉ lãnh đạo IOC được duyệt / Only the IOC leader approves"))


def _texts(draft: WarningDraft, errors: dict[str, list[str]]) -> None:
    limits = {"event": 200, "headline_vi": 200, "headline_en": 200, "area_desc": 300}
    required = {"event", "headline_vi", "description_vi", "instruction_vi", "area_desc"}
    for name in (*limits, "description_vi", "instruction_vi", "description_en", "instruction_en"):
        value = str(getattr(draft, name) or "")
        if name in required and not value.strip():
            errors[name] = [_("Không được để trống / Required")]
        elif len(value) > limits.get(name, 4000):
            errors[name] = [_("Tối đa %(n)d ký tự / At most %(n)d characters") % {"n": limits.get(name, 4000)}]
        elif has_markup(value):
            errors[name] = [_("Không được chứa thẻ HTML / Must not contain HTML tags")]


def _choices(draft: WarningDraft, errors: dict[str, list[str]]) -> None:
    for name, allowed in (
        ("category", CapCategory.values),
        ("urgency", Urgency.values),
        ("certainty", Certainty.values),
    ):
        if getattr(draft, name) not in allowed:
            errors[name] = [_("Giá trị không hợp lệ / Unknown value")]
    if isinstance(draft.severity, bool) or draft.severity not in Severity.values:
        errors["severity"] = [_("Mức độ phải là số nguyên từ 1 đến 5 / Severity must be 1–5")]


def _times(draft: WarningDraft, errors: dict[str, list[str]], now: dt.datetime) -> None:
    onset, expires = draft.onset, draft.expires
    if not isinstance(onset, dt.datetime) or timezone.is_naive(onset):
        errors["onset"] = [_("Cần thời điểm có múi giờ / A time with its zone is required")]
    elif not isinstance(expires, dt.datetime) or timezone.is_naive(expires):
        errors["expires"] = [_("Cần thời điểm có múi giờ / A time with its zone is required")]
    elif expires <= max(onset, now):
        errors["expires"] = [_("Phải sau thời điểm hiệu lực và sau lúc này / Must be after the onset and now")]
    elif expires - onset > MAX_VALIDITY:
        errors["expires"] = [_("Hiệu lực tối đa 30 ngày / At most 30 days")]


def _territory_geometry() -> Any:
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return None
    shapes = [
        shapely.from_geojson(unit.geometry)
        for unit in geo_selectors.territory_communes(territory=territory, with_geometry=True)
        if unit.geometry
    ]
    return shapely.union_all(shapes).buffer(BORDER_TOLERANCE) if shapes else None


def _area(draft: WarningDraft, errors: dict[str, list[str]]) -> tuple[dict[str, Any] | None, list[str]]:
    """R5.2: a valid polygon inside the territory, and/or communes of the territory; at least one of them."""
    polygon, codes = None, [str(c).strip() for c in draft.unit_codes if str(c).strip()]
    if draft.area_geojson in (None, {}, "") and not codes:
        errors["area_geojson"] = [_("Cần vùng cảnh báo hoặc danh sách xã / An area or communes are required")]
        return None, []
    territory = _territory_geometry()
    if draft.area_geojson not in (None, {}, ""):
        try:
            area = geo_selectors.area_from_geojson(draft.area_geojson)  # type: ignore[arg-type]
        except geo_selectors.GeoInputError as error:
            errors["area_geojson"] = [str(error)]
        else:
            if territory is not None and not territory.contains(area.geometry):
                errors["area_geojson"] = [_("Vùng nằm ngoài địa bàn / The area leaves the territory")]
            polygon = shapely.geometry.mapping(area.geometry)
    if codes:
        ids = geo_selectors.territory_commune_ids(profile=settings.IOC_PROFILE)
        known = dict(geo_selectors.unit_list(level="commune").filter(code__in=codes).values_list("code", "pk"))
        wrong = [c for c in codes if c not in known or (ids is not None and known[c] not in ids)]
        if wrong:
            errors["unit_codes"] = [
                _("Xã, phường không thuộc địa bàn: %(c)s / Not in the territory") % {"c": ", ".join(wrong)}
            ]
    return (dict(polygon) if polygon else None), codes


def _clean(draft: WarningDraft) -> tuple[dict[str, Any] | None, list[str]]:
    errors: dict[str, list[str]] = {}
    _texts(draft, errors)
    _choices(draft, errors)
    _times(draft, errors, timezone.now())
    polygon, codes = _area(draft, errors)
    if errors:
        raise ValidationError(errors)
    return polygon, codes


def _identifier() -> str:
    return f"ioc.{settings.IOC_PROFILE}.{timezone.now():%Y%m%d%H%M%S}.{uuid.uuid4().hex[:8]}"


def _new(
    draft: WarningDraft, actor: User, msg_type: str, original: PublicWarning | None, incident: Incident | None
) -> PublicWarning:
    polygon, codes = _clean(draft)
    needs_approval = is_severe(draft.severity) and msg_type != MessageType.CANCEL
    waiting = needs_approval and not actor_has_role(actor, [Role.IOC_LEADER])
    now = timezone.now()
    warning = PublicWarning.objects.create(
        identifier=_identifier(),
        msg_type=msg_type,
        references=original,
        state=W.AWAITING_APPROVAL if waiting else W.PUBLISHED,
        incident=incident,
        event=draft.event.strip(),
        category=draft.category,
        urgency=draft.urgency,
        certainty=draft.certainty,
        severity=draft.severity,
        headline_vi=draft.headline_vi.strip(),
        description_vi=draft.description_vi.strip(),
        instruction_vi=draft.instruction_vi.strip(),
        headline_en=draft.headline_en.strip(),
        description_en=draft.description_en.strip(),
        instruction_en=draft.instruction_en.strip(),
        area_desc=draft.area_desc.strip(),
        area_geojson=polygon,
        unit_codes=codes,
        onset=draft.onset,
        expires=draft.expires,
        created_by=actor,
        approved_by=actor if needs_approval and not waiting else None,
        sent_at=None if waiting else now,
    )
    audit_record(
        actor=actor,
        action=f"warning.{msg_type.lower()}",
        obj=warning,
        changes={"state": warning.state, "severity": warning.severity, "references": original.pk if original else None},
    )
    if waiting:
        _ask_approval(warning)
    else:
        _settle_original(warning)
    return warning


def _ask_approval(warning: PublicWarning) -> None:
    leaders = assignment_selectors.role_holders(roles=[Role.IOC_LEADER])
    if leaders:
        notification_enqueue(
            event="warning.approval",
            recipients=leaders,
            template=APPROVAL_TEMPLATE,
            context={
                "headline": warning.headline_vi,
                "severity": str(Severity(warning.severity).label),
                "area": warning.area_desc,
                "url": reverse("scenarios:warning_detail", args=[warning.pk]),
            },
            dedup_key=f"warning:{warning.pk}:approval",
            urgent=True,
        )


def _settle_original(warning: PublicWarning) -> None:
    """Once an update or a cancellation is out, the original leaves the public list."""
    if warning.references_id is None:
        return
    target = W.CANCELLED if warning.msg_type == MessageType.CANCEL else W.SUPERSEDED
    PublicWarning.objects.filter(pk=warning.references_id, state=W.PUBLISHED).update(state=target)


@transaction.atomic
def warning_publish(*, actor: User, draft: WarningDraft, incident: Incident | None = None) -> PublicWarning:
    """R5.2, R5.5: a new public warning (CAP msgType Alert); severe ones wait for the IOC leader's approval unless
    the leader publishes them."""
    _require_ioc(actor)
    return _new(draft, actor, MessageType.ALERT, None, incident)


def _live_original(original: PublicWarning) -> PublicWarning:
    locked = PublicWarning.objects.select_for_update().get(pk=original.pk)
    if locked.state != W.PUBLISHED or locked.msg_type == MessageType.CANCEL:
        raise ValidationError({"original": [_("Cảnh báo không còn hiệu lực / The warning is no longer in force")]})
    if locked.expires <= timezone.now():
        raise ValidationError({"original": [_("Cảnh báo đã hết hạn / The warning has expired")]})
    if PublicWarning.objects.filter(references=locked, state=W.AWAITING_APPROVAL).exists():
        raise ValidationError({"original": [_("Đã có bản cập nhật chờ duyệt / An update awaits approval")]})
    return locked


@transaction.atomic
def warning_update(*, actor: User, original: PublicWarning, draft: WarningDraft) -> PublicWarning:
    """R5.5: an update (CAP msgType Update) referencing the original, which must still be in force."""
    _require_ioc(actor)
    locked = _live_original(original)
    return _new(draft, actor, MessageType.UPDATE, locked, locked.incident)


@transaction.atomic
def warning_cancel(*, actor: User, original: PublicWarning, reason: str) -> PublicWarning:
    """R5.5: a cancellation (CAP msgType Cancel) referencing the original; the reason is its description."""
    _require_ioc(actor)
    locked = _live_original(original)
    reason = str(reason or "").strip()
    if not reason or len(reason) > 2000 or has_markup(reason):
        raise ValidationError({"reason": [_("Cần lý do hủy, tối đa 2000 ký tự / A reason (≤ 2000 characters)")]})
    now = timezone.now()
    draft = WarningDraft(
        event=locked.event,
        category=locked.category,
        urgency=locked.urgency,
        certainty=locked.certainty,
        severity=locked.severity,
        headline_vi=(_("Hủy: %(h)s") % {"h": locked.headline_vi})[:200],
        description_vi=reason,
        instruction_vi=_("Cảnh báo trước đây không còn hiệu lực / The earlier warning no longer applies"),
        area_desc=locked.area_desc,
        onset=now,
        expires=max(locked.expires, now + dt.timedelta(minutes=1)),
        area_geojson=locked.area_geojson,
        unit_codes=list(locked.unit_codes),
    )
    return _new(draft, actor, MessageType.CANCEL, locked, locked.incident)


@transaction.atomic
def warning_approve(*, actor: User, warning: PublicWarning) -> PublicWarning:
    """R5.2: the IOC leader approves a severe warning: it is published now (and its original settled)."""
    _require_leader(actor)
    locked = PublicWarning.objects.select_for_update().get(pk=warning.pk)
    if locked.state != W.AWAITING_APPROVAL:
        raise ValidationError({"state": [_("Cảnh báo không chờ duyệt / The warning is not awaiting approval")]})
    if locked.expires <= timezone.now():
        raise ValidationError({"expires": [_("Cảnh báo đã hết hạn / The warning has expired")]})
    locked.state, locked.approved_by, locked.sent_at = W.PUBLISHED, actor, timezone.now()
    locked.save(update_fields=["state", "approved_by", "sent_at"])
    audit_record(
        actor=actor, action="warning.approve", obj=locked, changes={"state": [W.AWAITING_APPROVAL, W.PUBLISHED]}
    )
    _settle_original(locked)
    return locked


@transaction.atomic
def warning_reject(*, actor: User, warning: PublicWarning, reason: str) -> PublicWarning:
    """R5.2: the IOC leader does not approve; the warning is never published."""
    _require_leader(actor)
    locked = PublicWarning.objects.select_for_update().get(pk=warning.pk)
    if locked.state != W.AWAITING_APPROVAL:
        raise ValidationError({"state": [_("Cảnh báo không chờ duyệt / The warning is not awaiting approval")]})
    reason = str(reason or "").strip()
    if not reason or has_markup(reason):
        raise ValidationError({"reason": [_("Cần lý do / A reason is required")]})
    locked.state, locked.note = W.REJECTED, reason[:2000]
    locked.save(update_fields=["state", "note"])
    audit_record(actor=actor, action="warning.reject", obj=locked, changes={"reason": reason[:200]})
    return locked
