"""Pages of agency work under /xu-ly/ (R3.3): the officer's inbox and a piece of work. Thin: parse, call one
selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.assignments import selectors, services
from ioc.assignments.choices import TRANSITIONS, AssignmentStatus, DeadlineState
from ioc.assignments.forms.work import ProgressForm, ResolveForm, ReturnForm
from ioc.assignments.models import Assignment
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors

PAGE_SIZE = 50
STATUS_FILTERS = {selectors.OPEN, "all", *AssignmentStatus.values}
STATUS_BADGES = {
    AssignmentStatus.FORWARDED: "bg-blue-lt",
    AssignmentStatus.ACCEPTED: "bg-azure-lt",
    AssignmentStatus.IN_PROGRESS: "bg-indigo-lt",
    AssignmentStatus.RESOLVED: "bg-teal-lt",
    AssignmentStatus.CONFIRMED: "bg-green-lt",
    AssignmentStatus.REOPENED: "bg-orange-lt",
    AssignmentStatus.RETURNED: "bg-secondary-lt",
    AssignmentStatus.CANCELLED: "bg-secondary-lt",
}
DEADLINE_BADGES = {
    DeadlineState.ON_TRACK: "bg-green-lt",
    DeadlineState.AT_RISK: "bg-yellow-lt",
    DeadlineState.OVERDUE: "bg-red-lt",
}


def _row(assignment: Assignment) -> dict[str, Any]:
    state = selectors.STATE_BY_RANK[getattr(assignment, "deadline_rank", 2)]
    return {
        "obj": assignment,
        "process_label": services.process_label(assignment.process),
        "state": state,
        "state_badge": DEADLINE_BADGES[state],
        "status_badge": STATUS_BADGES[AssignmentStatus(assignment.status)],
    }


def inbox(request: HttpRequest) -> HttpResponse:
    """R3.3: the work of the officer's agency (IOC roles: all work), filtered, overdue first, with counts."""
    status = request.GET.get("status", selectors.OPEN)
    status = status if status in STATUS_FILTERS else selectors.OPEN
    deadline = request.GET.get("deadline", "")
    deadline = deadline if deadline in DeadlineState.values else ""
    escalated = request.GET.get("escalated") == "1"  # the escalation digest's link (docs/decisions/0011)
    now = timezone.now()
    qs = selectors.assignment_inbox(
        user=request.user,
        status=None if status == "all" else status,
        deadline=deadline or None,
        escalated=escalated,
        now=now,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [_row(a) for a in page.object_list],
        "counts": selectors.assignment_inbox_counts(user=request.user, now=now),
        "status": status,
        "deadline": deadline,
        "escalated": escalated,
        "statuses": AssignmentStatus.choices,
        "deadline_states": DeadlineState.choices,
    }
    return render(request, "assignments/inbox.html", context)


def _actions(request: HttpRequest, assignment: Assignment) -> set[str]:
    if not selectors.user_can_act(user=request.user, assignment=assignment):
        return set()
    allowed = TRANSITIONS[assignment.status]
    found = set()
    for action, target in (
        ("accept", AssignmentStatus.ACCEPTED),
        ("return", AssignmentStatus.RETURNED),
        ("progress", AssignmentStatus.IN_PROGRESS),
        ("resolve", AssignmentStatus.RESOLVED),
    ):
        if target in allowed:
            found.add(action)
    return found


def _detail(request: HttpRequest, assignment: Assignment, status: int = 200, **forms: Any) -> HttpResponse:
    state = selectors.deadline_state(assignment=assignment)
    context = {
        "a": assignment,
        "state": state,
        "state_badge": DEADLINE_BADGES[state],
        "status_badge": STATUS_BADGES[AssignmentStatus(assignment.status)],
        "actions": _actions(request, assignment),
        "return_form": forms.get("return_form") or ReturnForm(),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "updates": list(assignment.updates.all()),
        "evidence": list(assignment.evidence.all()),
    }
    return render(request, "assignments/detail.html", context, status=status)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R3.3: one piece of work: its deadline, timeline, evidence and the agency's actions."""
    return _detail(request, selectors.assignment_get_for(user=request.user, pk=pk))


def _done(request: HttpRequest, assignment: Assignment, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("assignments:detail", pk=assignment.pk)


def _refused(request: HttpRequest, pk: int, form_name: str, form: Any, error: ValidationError) -> HttpResponse:
    add_service_errors(form, error)
    return _detail(request, selectors.assignment_get_for(user=request.user, pk=pk), status=400, **{form_name: form})


@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, pk=pk)
    try:
        services.assignment_accept(assignment=assignment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(request, selectors.assignment_get_for(user=request.user, pk=pk), status=400)
    return _done(request, assignment, _("Đã tiếp nhận / Accepted"))


@require_POST
def return_(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, status=400, return_form=form)
    try:
        services.assignment_return(
            assignment=assignment,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _refused(request, pk, "return_form", form, error)
    return _done(request, assignment, _("Đã trả lại cho IOC / Returned to the IOC"))


@require_POST
def progress(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, pk=pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, status=400, progress_form=form)
    try:
        services.assignment_progress(
            assignment=assignment,
            actor=request.user,
            text=form.cleaned_data["text"],
            is_public=form.cleaned_data["is_public"],
        )
    except ValidationError as error:
        return _refused(request, pk, "progress_form", form, error)
    return _done(request, assignment, _("Đã cập nhật tiến độ / Progress recorded"))


@require_POST
def resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for(user=request.user, pk=pk)
    form = ResolveForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, assignment, status=400, resolve_form=form)
    try:
        services.assignment_resolve(
            assignment=assignment,
            actor=request.user,
            resolution=form.cleaned_data["resolution"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as error:
        return _refused(request, pk, "resolve_form", form, error)
    return _done(request, assignment, _("Đã báo cáo kết quả / Result reported"))


def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """R3.3, R7.5: an evidence photo, only to those who may see the work (never under a public URL)."""
    row = selectors.evidence_get_for(user=request.user, assignment_pk=pk, pk=evidence_pk)
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = (
        f'inline; filename="minh-chung-{row.pk}.{(row.file.name or "").rsplit(".", 1)[-1]}"'
    )
    return response
