"""R10.2 (002:12.7, 002:16.2–16.3): changes to the IOC's systems — requested, approved by the managing body (and
consented by each agency whose connected system is touched) before they start, started inside their window,
closed with their result. The approved window is an incidents maintenance window for the named alert sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.agencies.models import InformationSystem
from ioc.audit.services import audit_record
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.incidents import services as incidents
from ioc.incidents.choices import AlertSource
from ioc.operations import permissions, selectors
from ioc.operations.choices import CHANGE_TRANSITIONS, ChangeState, ConsentState
from ioc.operations.models import Change, ChangeConsent
from ioc.operations.selectors.changes import WINDOWS_KEY
from ioc.operations.services._base import clean_text, require_managing_body

REQUEST_ROLES = frozenset({*IOC_STAFF_ROLES, Role.SYSTEM_ADMIN})
LONGEST_WINDOW = dt.timedelta(days=7)


def change_windows_refresh() -> None:
    """R10.2: put the approved windows not yet over in the shared cache (the banner reads only the cache)."""
    cache.set(WINDOWS_KEY, selectors.windows_upcoming(now=timezone.now()), timeout=None)


def _window_errors(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[str, list[str]]:
    if end <= start:
        return {"window_end": [_("Kết thúc phải sau bắt đầu / The end must follow the start")]}
    if start < now:
        return {"window_start": [_("Thời gian thực hiện đã qua / The window is in the past")]}
    if end - start > LONGEST_WINDOW:
        return {"window_end": [_("Một lần thay đổi tối đa 7 ngày / At most 7 days")]}
    return {}


def _move(change: Change, target: str) -> None:
    if target not in CHANGE_TRANSITIONS[change.state]:
        raise ValidationError(
            {
                "state": [
                    _("Không thể chuyển từ “%(s)s” / Not allowed from this state") % {"s": change.get_state_display()}
                ]
            }
        )
    change.state = target


@transaction.atomic
def change_request(
    *,
    actor: User,
    title: str,
    reason: str,
    systems: str,
    window_start: dt.datetime,
    window_end: dt.datetime,
    rollback_plan: str,
    requester: str,
    sources: Sequence[str] = (),
    touched_systems: Sequence[InformationSystem] = (),
    version: str = "",
    now: dt.datetime | None = None,
) -> Change:
    """R10.2: an upgrade or update is asked for (the IOC's staff or the administrator record the vendor's request);
    each agency whose connected system it touches is asked for consent."""
    if not actor_has_role(actor, REQUEST_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ IOC hoặc quản trị hệ thống đề nghị thay đổi / Not allowed"))
    errors = _window_errors(window_start, window_end, now or timezone.now())
    if set(sources) - set(AlertSource.values):
        errors["sources"] = [_("Nguồn cảnh báo không hợp lệ / Unknown alert source")]
    if errors:
        raise ValidationError(errors)
    change = Change.objects.create(
        title=clean_text(title, field="title", limit=200),
        reason=clean_text(reason, field="reason", limit=4000),
        systems=clean_text(systems, field="systems"),
        window_start=window_start,
        window_end=window_end,
        rollback_plan=clean_text(rollback_plan, field="rollback_plan", limit=4000),
        requester=clean_text(requester, field="requester", limit=200),
        sources=sorted(set(sources)),
        version=clean_text(version, field="version", required=False, limit=60),
        requested_by=actor,
    )
    change.touched_systems.set(touched_systems)
    agencies = sorted({system.agency_id for system in touched_systems})
    ChangeConsent.objects.bulk_create([ChangeConsent(change=change, agency_id=agency) for agency in agencies])
    audit_record(actor=actor, action="change.request", obj=change, changes={"window_start": window_start.isoformat()})
    return change


@transaction.atomic
def change_consent(*, actor: User, change: Change, agree: bool) -> ChangeConsent:
    """R10.2 (002:16.3): an officer or head of a touched agency gives or refuses the agency's consent."""
    consent = (
        ChangeConsent.objects.select_for_update()
        .filter(change=change, agency_id__in=permissions.member_agency_ids(actor))
        .first()
    )
    if consent is None:
        raise PermissionDenied(_("Cơ quan của anh/chị không được hỏi ý kiến / Your agency is not asked"))
    if change.state != ChangeState.REQUESTED:
        raise ValidationError({"state": [_("Thay đổi không còn chờ ý kiến / No longer awaiting consent")]})
    consent.state = ConsentState.GIVEN if agree else ConsentState.REFUSED
    consent.decided_by, consent.decided_at = actor, timezone.now()
    consent.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action="change.consent", obj=change, changes={"agency": consent.agency_id, "agree": agree}
    )
    return consent


@transaction.atomic
def change_decide(
    *, actor: User, change: Change, approve: bool, note: str = "", now: dt.datetime | None = None
) -> Change:
    """R10.2 (002:16.2): the managing body approves (every touched agency has consented, the window is ahead) or
    refuses. Approval sets the maintenance window of the named alert sources."""
    require_managing_body(actor)
    locked = Change.objects.select_for_update().get(pk=change.pk)
    now = now or timezone.now()
    _move(locked, ChangeState.APPROVED if approve else ChangeState.REFUSED)
    if approve:
        if locked.window_end <= now:
            raise ValidationError({"window_end": [_("Thời gian thực hiện đã qua / The window is in the past")]})
        if ChangeConsent.objects.filter(change=locked).exclude(state=ConsentState.GIVEN).exists():
            raise ValidationError({"consents": [_("Chưa đủ ý kiến đồng ý của các cơ quan / Consents missing")]})
    locked.decided_by, locked.decided_at = actor, now
    locked.decision_note = clean_text(note, field="note", required=False)
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve and locked.sources:
        incidents.maintenance_window_set(
            actor=actor,
            reference=f"operations.change:{locked.pk}",
            title=locked.title,
            sources=locked.sources,
            starts_at=locked.window_start,
            ends_at=locked.window_end,
        )
    audit_record(actor=actor, action="change.decide", obj=locked, changes={"state": locked.state})
    transaction.on_commit(change_windows_refresh)
    return locked


@transaction.atomic
def change_start(*, actor: User, change: Change, now: dt.datetime | None = None) -> Change:
    """R10.2: the work starts — only once approved, and inside the approved window."""
    if not actor_has_role(actor, REQUEST_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ IOC hoặc quản trị hệ thống ghi nhận / Not allowed"))
    locked = Change.objects.select_for_update().get(pk=change.pk)
    now = now or timezone.now()
    if locked.state == ChangeState.REQUESTED:
        raise ValidationError({"state": [_("Chưa được cơ quan quản lý phê duyệt / Not approved yet")]})
    _move(locked, ChangeState.STARTED)
    if not locked.window_start <= now < locked.window_end:
        raise ValidationError({"window_start": [_("Ngoài thời gian đã được phê duyệt / Outside the approved window")]})
    locked.started_at = now
    locked.save(update_fields=["state", "started_at"])
    audit_record(actor=actor, action="change.start", obj=locked)
    transaction.on_commit(change_windows_refresh)
    return locked


@transaction.atomic
def change_close(*, actor: User, change: Change, result: str, now: dt.datetime | None = None) -> Change:
    """R10.2: the work is done; its result is recorded and the maintenance window ends now."""
    if not actor_has_role(actor, REQUEST_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ IOC hoặc quản trị hệ thống ghi nhận / Not allowed"))
    locked = Change.objects.select_for_update().get(pk=change.pk)
    text = clean_text(result, field="result", limit=4000)
    _move(locked, ChangeState.CLOSED)
    locked.closed_at, locked.result = now or timezone.now(), text
    locked.save(update_fields=["state", "closed_at", "result"])
    incidents.maintenance_window_clear(
        actor=actor, reference=f"operations.change:{locked.pk}", ends_at=locked.closed_at
    )
    audit_record(actor=actor, action="change.close", obj=locked)
    transaction.on_commit(change_windows_refresh)
    return locked
