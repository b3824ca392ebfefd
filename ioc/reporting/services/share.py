"""R8.3 (002:3.3): meeting reports made outside the IOC, recorded so that the share produced from the IOC's data is
counted honestly (`selectors.meeting_report_share`). Recording and withdrawing check the role and the fields, write,
and record their audit entry; a refusal is a ValidationError naming the field and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.periods import LOCAL_TZ
from ioc.common.plaintext import clean_text
from ioc.common.roles import actor_require_role
from ioc.reporting.choices import MEETING_KINDS
from ioc.reporting.models import OutsideReport
from ioc.reporting.permissions import MEETING_ROLES
from ioc.reporting.services.meetings import NOTE_MAX

if TYPE_CHECKING:
    from ioc.accounts.models import User


def _require(actor: User) -> None:
    actor_require_role(
        actor, MEETING_ROLES, _("Chỉ cán bộ, lãnh đạo IOC ghi nhận báo cáo / Only IOC staff record these reports")
    )


@transaction.atomic
def outside_report_record(
    *,
    actor: User,
    kind: str,
    title: str,
    issued_on: dt.date,
    meeting: str,
    reason: str,
    number: str = "",
) -> OutsideReport:
    """R8.3: record a report made for a meeting outside the IOC (it lowers the period's share below 100 %)."""
    _require(actor)
    if kind not in MEETING_KINDS:
        raise ValidationError({"kind": [_("Chỉ báo cáo phục vụ họp (giao ban, chuyên đề, đột xuất) được tính.")]})
    if issued_on > timezone.now().astimezone(LOCAL_TZ).date():
        raise ValidationError({"issued_on": [_("Ngày ban hành không được ở tương lai.")]})
    row = OutsideReport.objects.create(
        kind=kind,
        title=clean_text(title, field="title", required=True, max_length=300),
        number=clean_text(number, field="number", required=False, max_length=40),
        issued_on=issued_on,
        meeting=clean_text(meeting, field="meeting", required=True, max_length=300),
        reason=clean_text(reason, field="reason", required=True, max_length=NOTE_MAX),
        recorded_by=actor,
    )
    changes = {"kind": kind, "title": row.title, "number": row.number, "issued_on": issued_on.isoformat()}
    audit_record(actor=actor, action="reporting.outside_record", obj=row, changes=changes)
    return row


@transaction.atomic
def outside_report_withdraw(*, actor: User, report: OutsideReport, reason: str) -> OutsideReport:
    """R8.3: withdraw an entry recorded by mistake (kept, no longer counted); withdrawing twice is refused."""
    _require(actor)
    fresh = OutsideReport.objects.select_for_update().get(pk=report.pk)
    if fresh.withdrawn_at is not None:
        raise ValidationError({"reason": [_("Mục này đã được rút.")]})
    fresh.withdrawn_reason = clean_text(reason, field="reason", required=True, max_length=NOTE_MAX)
    fresh.withdrawn_at = timezone.now()
    fresh.save(update_fields=["withdrawn_reason", "withdrawn_at"])
    audit_record(
        actor=actor, action="reporting.outside_withdraw", obj=fresh, changes={"reason": fresh.withdrawn_reason}
    )
    return fresh
