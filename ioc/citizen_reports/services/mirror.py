"""The report follows its assignment (R3.3): accepted, returned, progress, resolved, reopened, cancelled.

(The assignments app itself tells the IOC operators when an agency returns work.)

Called by `handlers.ReportSubjectHandler` inside the assignment service's transaction, after its write; a
refusal here (a ValidationError) refuses the assignment's step too, so the two never disagree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ioc.accounts.models import User
from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment, AssignmentUpdate
from ioc.citizen_reports.choices import ReportStatus
from ioc.citizen_reports.models import Report
from ioc.citizen_reports.services import _base
from ioc.citizen_reports.services.evidence import evidence_copy

S = ReportStatus


def report_of(assignment: Assignment, *, lock: bool = False) -> Report | None:
    """The report an assignment of the citizen-reports process works on, if it is still the current one."""
    if assignment.process != _base.PROCESS or not str(assignment.subject_id).isdigit():
        return None
    qs = Report.objects.select_related("category")
    if lock:
        qs = qs.select_for_update(of=("self",))
    report = qs.filter(pk=int(assignment.subject_id)).first()
    if report is None or report.assignment_id != assignment.pk:
        return None
    return report


def _last_update_public(assignment: Assignment, kind: str) -> bool:
    update = AssignmentUpdate.objects.filter(assignment=assignment, kind=kind).order_by("-at", "-pk").first()
    return bool(update and update.is_public)


def _accept(report: Report, assignment: Assignment, actor: User | None, text: str) -> None:
    if report.status == S.FORWARDED:
        note = _("%(agency)s đã tiếp nhận / Accepted by %(agency)s") % {"agency": assignment.agency.name}
        _base.move(report, report, to=S.IN_PROGRESS, actor=actor, action="accept", note=note)


def _back_to_verified(report: Report, assignment: Assignment, actor: User | None, text: str, action: str) -> None:
    changes = {"agency": None, "assignment": None, "deadline_at": None, "forwarded_at": None}
    _base.move(
        report,
        report,
        to=S.VERIFIED,
        actor=actor,
        action=action,
        note=text,
        is_public=False,
        changes=changes,
        audit={"agency": assignment.agency.code, "assignment": assignment.pk},
    )


def _progress(report: Report, assignment: Assignment, actor: User | None, text: str) -> None:
    public = _last_update_public(assignment, UpdateKind.PROGRESS)
    if report.status == S.FORWARDED:
        _base.move(report, report, to=S.IN_PROGRESS, actor=actor, action="progress", note=text, is_public=public)
    else:
        _base.event(
            report, actor=actor, from_status=report.status, to_status=report.status, note=text, is_public=public
        )


def _resolve(report: Report, assignment: Assignment, actor: User | None, text: str) -> None:
    moment = assignment.resolved_at or _base.now()
    _base.move(
        report,
        report,
        to=S.RESOLVED,
        actor=actor,
        action="resolve",
        note=text,
        is_public=False,
        changes={"resolved_at": moment, "result": text},
    )
    evidence_copy(report, assignment)
    _base.notify_followers(
        report,
        event_name="citizen_reports.resolved",
        template="citizen_reports.resolved",
        stamp=_base.stamp_of(moment),
        extra={"agency": assignment.agency.name},
    )


def _reopen(report: Report, assignment: Assignment, actor: User | None, text: str) -> None:
    if report.status not in (S.RESOLVED, S.PUBLISHED):
        return  # the citizen's reopening already moved the report (services.citizen.report_reopen)
    changes = {"closed_at": None, "resolved_at": None, "handled_on_time": None, "deadline_at": assignment.deadline_at}
    _base.move(
        report, report, to=S.IN_PROGRESS, actor=actor, action="send_back", note=text, is_public=False, changes=changes
    )


def _cancel(report: Report, assignment: Assignment, actor: User | None, text: str) -> None:
    _back_to_verified(report, assignment, actor, text, "cancel_assignment")


_ACTIONS = {
    UpdateKind.ACCEPT: _accept,
    UpdateKind.RETURN: lambda r, a, actor, text: _back_to_verified(r, a, actor, text, "return"),
    UpdateKind.PROGRESS: _progress,
    UpdateKind.RESOLVE: _resolve,
    UpdateKind.REOPEN: _reopen,
    UpdateKind.CANCEL: _cancel,
}


def report_follow_assignment(*, assignment: Assignment, kind: str, actor: User | None, text: str) -> Report | None:
    """R3.3: mirror one step of the agency's work into the report (its status, timeline, audit, messages)."""
    action = _ACTIONS.get(UpdateKind(kind)) if kind in UpdateKind.values else None
    if action is None:
        return None  # forward (done by report_forward), confirm (by report_publish), escalate (assignment only)
    report = report_of(assignment, lock=True)
    if report is None:
        return None
    action(report, assignment, actor, text or "")
    return report


def evidence_photo_required_for(*, assignment: Assignment) -> bool:
    """R3.3: whether the category asks for a photo with the result (default: yes)."""
    if assignment.process != _base.PROCESS or not str(assignment.subject_id).isdigit():
        return True
    report = Report.objects.select_related("category").filter(pk=int(assignment.subject_id)).first()
    return True if report is None else bool(report.category.evidence_photo_required)
