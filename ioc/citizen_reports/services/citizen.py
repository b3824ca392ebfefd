"""What the reporter does with the private link (R3.4): rate the published result, or reopen it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ioc.assignments import services as assignment_services
from ioc.assignments.choices import TRANSITIONS as ASSIGNMENT_TRANSITIONS
from ioc.assignments.choices import AssignmentStatus
from ioc.assignments.models import Assignment
from ioc.audit.services import audit_record
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.privacy import token_matches
from ioc.citizen_reports.services import _base

COMMENT_MAX = 1000
REASON_MAX = 2000


def _check_token(report: Report, private_token: str) -> None:
    if not token_matches(report, private_token):
        _base.refuse(
            "private_token",
            _("Liên kết riêng không đúng / The private link is not valid for this report"),
            "invalid_token",
        )


def _rating(value: Any) -> int:
    if isinstance(value, bool):
        value = None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5 or str(value).strip() not in {str(rating), f"{rating}.0"}:
        _base.refuse("rating", _("Đánh giá từ 1 đến 5 / Rating from 1 to 5"), "invalid_rating")
    return rating


@transaction.atomic
def report_rate(*, report: Report, private_token: str, rating: Any, comment: str = "") -> Report:
    """R3.4, R3.5: the reporter rates the published result (1–5), with an optional comment."""
    rating_value = _rating(rating)
    comment = _base.clean_text(comment, field="comment", max_length=COMMENT_MAX)
    fresh = _base.lock(report)
    _check_token(fresh, private_token)
    if fresh.status != ReportStatus.PUBLISHED:
        _base.refuse("status", _("Chỉ đánh giá khi đã có kết quả / Rate once the result is published"), "transition")
    _base.apply(report, fresh, {"rating": rating_value, "rating_comment": comment})
    _base.event(
        fresh,
        actor=None,
        from_status=fresh.status,
        to_status=fresh.status,
        is_public=False,
        note=_("Người phản ánh đánh giá %(n)d/5 / Rated %(n)d/5") % {"n": rating_value},
    )
    audit_record(actor=None, action="report.rate", obj=fresh, changes={"rating": rating_value})
    return fresh


@transaction.atomic
def report_reopen(*, report: Report, private_token: str, reason: str) -> Report:
    """R3.4: the reporter is not satisfied: the report goes back to the agency (through `assignments`)."""
    reason = _base.clean_text(reason, field="reason", max_length=REASON_MAX, required=True)
    fresh = _base.lock(report)
    _check_token(fresh, private_token)
    _base.check_move(fresh, ReportStatus.IN_PROGRESS)
    if fresh.status != ReportStatus.PUBLISHED:
        _base.refuse("status", _("Chỉ mở lại khi đã có kết quả / Reopen once the result is published"), "transition")
    assignment = Assignment.objects.filter(pk=fresh.assignment_id).first() if fresh.assignment_id else None
    if assignment is None or AssignmentStatus.REOPENED not in ASSIGNMENT_TRANSITIONS[assignment.status]:
        _base.refuse("status", _("Không thể mở lại phản ánh này / This report cannot be reopened"), "transition")
    changes = {
        "reopen_count": fresh.reopen_count + 1,
        "closed_at": None,
        "published_at": None,  # no longer handled (statistics): published again once handled again
        "handled_on_time": None,
        "rating": None,
        "rating_comment": "",
        "resolved_at": None,
    }
    _base.move(
        report,
        fresh,
        to=ReportStatus.IN_PROGRESS,
        actor=None,
        action="reopen",
        note=reason,
        changes=changes,
        audit={"reopen_count": fresh.reopen_count + 1},
    )
    # The citizen is not an account: the work is reopened on their behalf (`actor=None`, audited as an anonymous
    # citizen) after the private link was checked above.
    assignment = assignment_services.assignment_reopen(assignment=assignment, actor=None, reason=reason)
    _base.apply(report, fresh, {"deadline_at": assignment.deadline_at})
    return fresh
