"""R10.2–R10.4: the pages of rosters (week or month, printable, .xlsx), changes and assets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ioc.common.authed import AuthedRequest
from ioc.operations import selectors, services
from ioc.operations.exports import roster_xlsx
from ioc.operations.forms import (
    AssetForm,
    ChangeForm,
    DutyForm,
    FaultForm,
    PlanForm,
    RecordForm,
    ResultForm,
    RosterForm,
    Styled,
    SwapDecisionForm,
    SwapForm,
)
from ioc.operations.models import Asset, MaintenancePlan
from ioc.operations.views._base import run
from ioc.worktime.selectors import LOCAL_TZ


def roster_list(request: AuthedRequest) -> HttpResponse:
    """R10.4: the rosters; the IOC leader and the managing body cut a month from the center's hours."""
    can_manage = selectors.can_manage_staff(user=request.user)
    form = RosterForm(request.POST or None)
    if request.method == "POST" and can_manage:
        made = run(request, form, lambda data: services.roster_create(actor=request.user, **data), _("Đã lập lịch"))
        if made:
            return redirect("operations:roster_detail", pk=made.pk)
    context = {"rosters": selectors.roster_list(user=request.user)[:48], "form": form if can_manage else None}
    return render(request, "operations/roster_list.html", context, status=400 if form.errors else 200)


def _week_bounds(request: AuthedRequest, month: dt.date) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    """`?xem=tuan&ngay=YYYY-MM-DD`: the week holding that day; otherwise the whole month."""
    if request.GET.get("xem") != "tuan":
        return None, None, "thang"
    try:
        day = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        day = month
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(0), LOCAL_TZ)
    return start, start + dt.timedelta(days=7), "tuan"


def roster_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.4: a roster by week or month with its gaps; people put on shifts; published knowingly; a duty handed
    to someone else on request, approved or refused by the IOC leader."""
    roster = selectors.roster_get(user=request.user, pk=pk)
    can_manage = selectors.can_manage_staff(user=request.user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    people = selectors.staff_in_post(on=roster.month)
    duties = selectors.swappable_duties(user=request.user, roster=roster, everyone=can_manage)
    swaps = selectors.swap_pending(roster=roster)
    swap_form = SwapForm(request.POST if action == "swap" else None, duties=duties, people=people)
    decision = SwapDecisionForm(request.POST if action == "swap_decide" else None, swaps=swaps)
    outcome: Styled = Styled({})
    call: Callable[[dict[str, Any]], object]
    if request.method == "POST":
        if action == "publish":
            accept = request.POST.get("accept_gaps") == "1"
            call = lambda data: services.roster_publish(actor=request.user, roster=roster, accept_gaps=accept)  # noqa: E731
        elif action == "swap":
            outcome = swap_form
            call = lambda data: services.shift_swap_request(actor=request.user, **data)  # noqa: E731
        elif action == "swap_decide":
            outcome = decision
            call = lambda data: services.shift_swap_decide(actor=request.user, **data)  # noqa: E731
        else:
            outcome = DutyForm(
                request.POST,
                shifts=selectors.roster_shifts(roster=roster),
                people=selectors.staff_list(user=request.user),
            )
            call = lambda data: services.roster_duty_add(actor=request.user, **data)  # noqa: E731
        if run(request, outcome, call, _("Đã ghi nhận")):
            return redirect("operations:roster_detail", pk=pk)
    since, until, view = _week_bounds(request, roster.month)
    context = {
        "roster": roster,
        "shifts": selectors.roster_shifts(roster=roster, since=since, until=until),
        "gaps": selectors.roster_gaps(roster=roster),
        "view": view,
        "people": people,
        "can_manage": can_manage,
        "outcome": outcome,
        "swap_form": swap_form if duties.exists() else None,
        "swaps": swaps,
        "decision": decision if selectors.can_decide_swaps(user=request.user) else None,
    }
    return render(request, "operations/roster_detail.html", context, status=400 if outcome.errors else 200)


@require_safe
def roster_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.4: the month's roster as .xlsx."""
    roster = selectors.roster_get(user=request.user, pk=pk)
    data = roster_xlsx(roster, list(selectors.roster_shifts(roster=roster)))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="lich-truc-{roster.month:%Y%m}.xlsx"'
    return response


def change_list(request: AuthedRequest) -> HttpResponse:
    """R10.2: the changes; the IOC's staff record a request (e.g. the vendor's)."""
    form = ChangeForm(request.POST or None)
    if request.method == "POST":
        made = run(request, form, lambda data: services.change_request(actor=request.user, **data), _("Đã gửi đề nghị"))
        if made:
            return redirect("operations:change_detail", pk=made.pk)
    context = {"changes": selectors.change_list(user=request.user)[:100], "form": form}
    return render(request, "operations/change_list.html", context, status=400 if form.errors else 200)


def change_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.2: one change; consent, approval, start, close as the state allows."""
    change = selectors.change_get_for(user=request.user, pk=pk)
    outcome: Styled = Styled({})
    call: Callable[[dict[str, Any]], object]
    if request.method == "POST":
        action = request.POST.get("action", "")
        actions: dict[str, Callable[[dict[str, Any]], object]] = {
            "consent": lambda data: services.change_consent(actor=request.user, change=change, agree=True),
            "dissent": lambda data: services.change_consent(actor=request.user, change=change, agree=False),
            "approve": lambda data: services.change_decide(actor=request.user, change=change, approve=True),
            "refuse": lambda data: services.change_decide(actor=request.user, change=change, approve=False),
            "start": lambda data: services.change_start(actor=request.user, change=change),
        }
        if action == "close":
            outcome = ResultForm(request.POST)
            call = lambda data: services.change_close(actor=request.user, change=change, result=data["result"])  # noqa: E731
        else:
            call = actions.get(action, actions["start"])
        if run(request, outcome, call, _("Đã ghi nhận")):
            return redirect("operations:change_detail", pk=pk)
    context = {
        "change": change,
        "consents": selectors.change_consents(change=change),
        "result_form": outcome if isinstance(outcome, ResultForm) else ResultForm(),
        "outcome": outcome,
    }
    return render(request, "operations/change_detail.html", context, status=400 if outcome.errors else 200)


def asset_list(request: AuthedRequest) -> HttpResponse:
    """R10.3: the assets and the maintenance calendar of the next 60 days (overdue first)."""
    form = AssetForm(request.POST or None)
    if request.method == "POST":
        made = run(request, form, lambda data: services.asset_create(actor=request.user, **data), _("Đã thêm tài sản"))
        if made:
            return redirect("operations:asset_detail", pk=made.pk)
    today = timezone.now().astimezone(LOCAL_TZ).date()
    context = {
        "assets": selectors.asset_list(user=request.user)[:300],
        "calendar": selectors.maintenance_calendar(user=request.user, since=today),
        "today": today,
        "form": form,
    }
    return render(request, "operations/asset_list.html", context, status=400 if form.errors else 200)


def asset_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.3: one asset — plans, records, faults; adding a plan, a record or a fault."""
    asset = selectors.asset_get_for(user=request.user, pk=pk)
    forms = {"plan": PlanForm(), "record": RecordForm(), "fault": FaultForm()}
    if request.method == "POST":
        action = request.POST.get("action", "")
        calls = {
            "plan": lambda data: services.maintenance_plan_set(actor=request.user, asset=asset, **data),
            "record": lambda data: services.maintenance_record(
                actor=request.user, asset=asset, plan=_plan(asset, request.POST.get("plan")), **data
            ),
            "fault": lambda data: services.fault_report(actor=request.user, asset=asset, **data),
        }
        if action in calls:
            forms[action] = {"plan": PlanForm, "record": RecordForm, "fault": FaultForm}[action](request.POST)
            if run(request, forms[action], calls[action], _("Đã ghi nhận")):
                return redirect("operations:asset_detail", pk=pk)
    context = {
        "asset": asset,
        "plans": selectors.asset_plans(asset=asset),
        "records": selectors.asset_records(asset=asset),
        "faults": selectors.asset_faults(asset=asset),
        **{f"{name}_form": form for name, form in forms.items()},
    }
    failed = any(form.errors for form in forms.values())
    return render(request, "operations/asset_detail.html", context, status=400 if failed else 200)


def _plan(asset: Asset, value: str | None) -> MaintenancePlan | None:
    try:
        return selectors.asset_plans(asset=asset).filter(pk=int(value)).first() if value else None
    except ValueError:
        return None
