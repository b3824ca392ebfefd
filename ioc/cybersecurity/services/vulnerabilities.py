"""R5.6 (000:7.4 "giám sát an toàn, an ninh thông tin của các cơ quan, đơn vị"), R4.5: national vulnerability
notices with the watched assets they affect. Each affected asset is forwarded to its agency as agency work
(`assignment_forward(process="cybersecurity")`) with a time to patch in working hours (by severity, or the notice's
own); the assignments' escalation chain for the process (a default one ships in migration 0003) reminds and tells
the heads as the deadline nears and passes; `exposure_follow` keeps each exposure in step with its work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.accounts.choices import SYSTEM_USERNAME
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import MAX_WORKING_HOURS, UpdateKind
from ioc.audit.services import audit_record
from ioc.common.choices import Severity
from ioc.common.plaintext import has_markup
from ioc.common.roles import actor_require_role
from ioc.cybersecurity.choices import PATCH_HOURS, PROCESS, VULN_CATEGORY, VULN_ROLES, ExposureStatus
from ioc.cybersecurity.models import Asset, Exposure, Vulnerability

if TYPE_CHECKING:
    import datetime as dt

    from ioc.accounts.models import User
    from ioc.assignments.models import Assignment

SUBJECT_PREFIX = "vuln:"
MAX_ASSETS = 500


def _errors(
    code: str, title: str, severity: int, assets: Sequence[Asset], working_hours: float | None, texts: dict[str, str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not code or len(code) > 60:
        errors["code"] = [_("Mã bắt buộc, tối đa 60 ký tự / Required, at most 60 characters")]
    elif Vulnerability.objects.filter(code=code).exists():
        errors["code"] = [_("Lỗ hổng này đã được ghi nhận / This vulnerability is already recorded")]
    if not title or len(title) > 200:
        errors["title"] = [_("Tiêu đề bắt buộc, tối đa 200 ký tự / Required, at most 200 characters")]
    if severity not in Severity.values:
        errors["severity"] = [_("Mức độ từ 1 đến 5 / Severity 1 to 5")]
    if not assets:
        errors["assets"] = [_("Chọn ít nhất một tài sản bị ảnh hưởng / Choose at least one affected asset")]
    elif len(assets) > MAX_ASSETS or any(not a.is_active for a in assets):
        errors["assets"] = [_("Tài sản phải đang được theo dõi (tối đa 500) / Watched assets only (at most 500)")]
    if working_hours is not None and (isinstance(working_hours, bool) or not 0 < working_hours <= MAX_WORKING_HOURS):
        errors["working_hours"] = [_("Từ 0 đến 2000 giờ làm việc / Between 0 and 2000 working hours")]
    for name, text in texts.items():
        if has_markup(text):
            errors[name] = [_("Không chứa thẻ HTML / No markup")]
    return errors


@transaction.atomic
def vulnerability_create(
    *,
    actor: User,
    code: str,
    title: str,
    severity: int,
    published_on: dt.date,
    assets: Sequence[Asset],
    notice_no: str = "",
    description: str = "",
    remedy: str = "",
    working_hours: float | None = None,
) -> Vulnerability:
    """R5.6: record a notice and forward each affected asset to its agency, due in `working_hours` (default by
    severity: `PATCH_HOURS`). All or nothing: a refused forward writes nothing."""
    if actor.username != SYSTEM_USERNAME:  # the system account (demo) is checked by assignment_forward
        actor_require_role(
            actor, VULN_ROLES, _("Chỉ cán bộ IOC ghi nhận lỗ hổng / Only the IOC records vulnerabilities")
        )
    code, title = (code or "").strip(), (title or "").strip()
    texts = {"description": description or "", "remedy": remedy or "", "notice_no": notice_no or ""}
    assets = list(dict.fromkeys(assets))
    errors = _errors(code, title, severity, assets, working_hours, texts)
    if errors:
        raise ValidationError(errors)
    hours = float(working_hours) if working_hours is not None else PATCH_HOURS[severity]
    vulnerability = Vulnerability.objects.create(
        code=code,
        title=title,
        severity=severity,
        notice_no=texts["notice_no"][:100],
        published_on=published_on,
        description=texts["description"],
        remedy=texts["remedy"],
        working_hours=hours,
        created_by=actor,
    )
    for asset in assets:
        _forward(actor, vulnerability, asset)
    audit_record(
        actor=actor,
        action="vulnerability.create",
        obj=vulnerability,
        changes={"code": code, "severity": severity, "assets": [a.code for a in assets], "hours": hours},
    )
    return vulnerability


def _forward(actor: User, vulnerability: Vulnerability, asset: Asset) -> Exposure:
    exposure = Exposure.objects.create(vulnerability=vulnerability, asset=asset, agency_id=asset.agency_id)
    instructions = vulnerability.remedy or vulnerability.description
    work = assignment_services.assignment_forward(
        process=PROCESS,
        subject_id=f"{SUBJECT_PREFIX}{exposure.pk}",
        subject_label=f"{vulnerability.code}: {asset.name}"[:200],
        category_code=VULN_CATEGORY,
        agency=asset.agency,
        working_hours=vulnerability.working_hours,
        instructions=instructions[:4000],
        actor=actor,
    )
    exposure.assignment = work
    exposure.deadline_at = work.deadline_at
    exposure.save(update_fields=["assignment", "deadline_at"])
    return exposure


_STATUS_AFTER: dict[str, ExposureStatus] = {
    UpdateKind.ACCEPT: ExposureStatus.FIXING,
    UpdateKind.PROGRESS: ExposureStatus.FIXING,
    UpdateKind.RETURN: ExposureStatus.RETURNED,
    UpdateKind.RESOLVE: ExposureStatus.RESOLVED,
    UpdateKind.CONFIRM: ExposureStatus.FIXED,
    UpdateKind.REOPEN: ExposureStatus.FIXING,
    UpdateKind.CANCEL: ExposureStatus.CANCELLED,
}


def exposure_follow(*, assignment: Assignment, kind: str, actor: User | None) -> Exposure | None:
    """R5.6: the exposure follows its assignment (called inside the assignment's transaction by the subject
    handler): forwarded again after the agency returned it → the new work (`_exposure_reforward`), accepted →
    fixing, resolved → awaiting confirmation, confirmed → fixed (on time when resolved by the deadline), reopened
    → fixing again with the new deadline, returned, cancelled. Escalations change nothing here (the assignment
    keeps them). None: not a vulnerability's work."""
    if not assignment.subject_id.startswith(SUBJECT_PREFIX):
        return None
    exposure = Exposure.objects.select_for_update().filter(pk=assignment.subject_id[len(SUBJECT_PREFIX) :]).first()
    if exposure is not None and str(kind) == UpdateKind.FORWARD:
        return _exposure_reforward(exposure, assignment, actor)
    status = _STATUS_AFTER.get(str(kind))
    if exposure is None or status is None:
        return exposure
    exposure.status = status
    exposure.deadline_at = assignment.deadline_at
    if status == ExposureStatus.FIXED:
        exposure.fixed_at = assignment.resolved_at or timezone.now()
        exposure.fixed_on_time = exposure.fixed_at <= assignment.deadline_at
    elif status != ExposureStatus.RESOLVED:
        exposure.fixed_at, exposure.fixed_on_time = None, None
    exposure.save(update_fields=["status", "deadline_at", "fixed_at", "fixed_on_time"])
    audit_record(actor=actor, action=f"exposure.{kind}", obj=exposure, changes={"status": status})
    return exposure


def _exposure_reforward(exposure: Exposure, assignment: Assignment, actor: User | None) -> Exposure:
    """R5.6, R3.3: a notice the agency returned (not its asset, or not its to patch) is forwarded again with
    `assignment_forward` (same subject, to the same or another agency): the exposure follows the new work. The
    first forward (`_forward` links it itself) changes nothing here; forwarding an exposure whose work is still
    open or done is refused (raising refuses the whole forward, nothing is written)."""
    if exposure.assignment_id in (None, assignment.pk):
        return exposure
    if exposure.status != ExposureStatus.RETURNED:
        message = _(
            "Chỉ chuyển lại được tài sản mà cơ quan đã trả lại / Only an exposure its agency returned can be "
            "forwarded again"
        )
        raise ValidationError({"subject_id": [message]})
    previous = exposure.agency_id
    exposure.assignment, exposure.agency_id = assignment, assignment.agency_id
    exposure.status, exposure.deadline_at = ExposureStatus.FORWARDED, assignment.deadline_at
    exposure.fixed_at, exposure.fixed_on_time = None, None
    exposure.save(update_fields=["assignment", "agency", "status", "deadline_at", "fixed_at", "fixed_on_time"])
    changes = {"status": ExposureStatus.FORWARDED, "agency": [previous, assignment.agency_id]}
    audit_record(actor=actor, action="exposure.forward", obj=exposure, changes=changes)
    return exposure
