"""The IOC's pages of dossiers under /ho-so/ (R5.3, R4.2): violations to verify, agencies ranked, procedures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import IOC_STAFF_ROLES, actor_has_role
from ioc.dossiers import score766, selectors, services
from ioc.dossiers.choices import ViolationState
from ioc.dossiers.forms.staff import DismissForm
from ioc.dossiers.rules import RULES_BY_CODE

PAGE_SIZE = 25
WINDOW_DAYS = 90


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=WINDOW_DAYS)


def _violations(
    request: AuthedRequest, failed: tuple[int, DismissForm] | None = None, status: int = 200
) -> HttpResponse:
    state = request.GET.get("state", ViolationState.OPEN)
    if state not in ViolationState.values:
        state = ViolationState.OPEN
    page = Paginator(selectors.violation_list(user=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for violation in page.object_list:
        violation.rule_spec = RULES_BY_CODE[violation.rule]  # type: ignore[attr-defined]
    context = {
        "page": page,
        "state": state,
        "states": ViolationState.choices,
        "can_verify": actor_has_role(request.user, IOC_STAFF_ROLES),
        "failed": failed,
    }
    return render(request, "dossiers/staff/violations.html", context, status=status)


def violation_list(request: AuthedRequest) -> HttpResponse:
    """R4.2 (004:6.4): violations found by the checks; the IOC confirms or dismisses them, an agency sees its own."""
    return _violations(request)


def violation_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R4.2: confirm (a time-bound violation goes to its agency) or dismiss with a reason."""
    if request.method != "POST" or action not in ("confirm", "dismiss"):
        return HttpResponse(status=405)
    violation = selectors.violation_get(user=request.user, pk=pk)
    if violation is None:
        raise Http404
    form = DismissForm(request.POST)
    try:
        if action == "confirm":
            services.violation_confirm(violation=violation, actor=request.user)
            messages.success(request, _("Đã xác nhận vi phạm"))
            return redirect("dossiers:violation_list")
        if form.is_valid():
            services.violation_dismiss(violation=violation, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("Đã loại bỏ vi phạm"))
            return redirect("dossiers:violation_list")
    except ValidationError as exc:
        add_service_errors(form, exc)
    return _violations(request, (violation.pk, form), status=400)


def agency_ranking(request: AuthedRequest) -> HttpResponse:
    """R5.3: agencies ranked by their on-time share over the last 90 days, and by Decision 766's score of the latest
    month computed."""
    rows = selectors.agencies_ranked(user=request.user, since=_since())
    period, scores = selectors.service_scores(user=request.user)
    context = {"rows": rows, "days": WINDOW_DAYS, "period": period, "scores": scores, "groups": score766.GROUPS}
    return render(request, "dossiers/staff/agencies.html", context)


def procedure_list(request: AuthedRequest) -> HttpResponse:
    """R5.3: procedures by volume over the last 90 days."""
    rows = selectors.procedure_overview(user=request.user, since=_since())
    return render(request, "dossiers/staff/procedures.html", {"rows": rows, "days": WINDOW_DAYS})


def procedure_detail(request: AuthedRequest, code: str) -> HttpResponse:
    """R5.3: a procedure's volumes, times against its limit and bottlenecks."""
    procedure = selectors.procedure_get(code=code)
    if procedure is None:
        raise Http404
    figures = selectors.procedure_figures(user=request.user, procedure=procedure, since=_since())
    context = {"procedure": procedure, "figures": figures, "days": WINDOW_DAYS}
    return render(request, "dossiers/staff/procedure.html", context)
