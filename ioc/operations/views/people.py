"""R10.4: the hub, the staff and the allowance sheets (with their .xlsx and the yearly estimate)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ioc.common.authed import AuthedRequest
from ioc.operations import selectors, services
from ioc.operations.exports import sheet_xlsx
from ioc.operations.forms import CorrectionForm, MoveForm, PrepareForm, StaffForm, Styled, TrainingForm
from ioc.operations.views._base import run


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """R10.2–R10.4: who is on duty now, the work waiting, links to every part."""
    now = timezone.now()
    context = {
        "on_duty": selectors.on_duty_now(now=now),
        "summary": selectors.operations_summary(user=request.user, now=now),
    }
    return render(request, "operations/index.html", context)


def staff_list(request: AuthedRequest) -> HttpResponse:
    """R10.4: the staff in the user's scope; the IOC leader and the managing body add people."""
    can_manage = selectors.can_manage_staff(user=request.user)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and can_manage:
        created = run(
            request, form, lambda data: services.staff_create(actor=request.user, **data), _("Đã thêm nhân sự")
        )
        if created:
            return redirect("operations:staff_detail", pk=created.pk)
    people = selectors.staff_list(user=request.user)
    # The list shows no personal data (each read is audited: the person's page reads it, once).
    context = {"people": people, "form": form if can_manage else None}
    return render(request, "operations/staff_list.html", context, status=400 if form.errors else 200)


def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.4: one person, their postings and trainings; a move between the center and their agency; a training
    attended (000:7.3, 003:10.4)."""
    person = selectors.staff_get_for(user=request.user, pk=pk)
    training_post = request.method == "POST" and request.POST.get("action") == "training"
    form = MoveForm(request.POST if request.method == "POST" and not training_post else None)
    training = TrainingForm(request.POST if training_post else None, prefix="training")
    if request.method == "POST":
        if training_post:
            done = run(
                request,
                training,
                lambda data: services.training_record(actor=request.user, staff=person, **data),
                _("Đã ghi nhận đào tạo"),
            )
        else:
            done = run(
                request, form, lambda d: services.staff_move(actor=request.user, staff=person, **d), _("Đã ghi nhận")
            )
        if done:
            return redirect("operations:staff_detail", pk=pk)
    context = {
        "person": person,
        "postings": selectors.staff_postings(staff=person),
        "trainings": selectors.staff_trainings(staff=person),
        "personal": selectors.staff_personal_data(user=request.user, staff=person),
        "can_manage": selectors.can_manage_staff(user=request.user),
        "form": form,
        "training_form": training,
    }
    status = 400 if form.errors or training.errors else 200
    return render(request, "operations/staff_detail.html", context, status=status)


def sheet_list(request: AuthedRequest) -> HttpResponse:
    """R10.4: the allowance sheets (newest month first); preparing a month's sheets for every paying agency."""
    can_manage = selectors.can_manage_staff(user=request.user)
    form = PrepareForm(request.POST or None)
    if request.method == "POST" and can_manage:
        done = run(
            request,
            form,
            lambda data: services.allowance_sheets_prepare_month(actor=request.user, month=data["month"]),
            _("Đã lập bảng hỗ trợ"),
        )
        if done:
            return redirect("operations:sheet_list")
    context = {"sheets": selectors.sheet_list(user=request.user)[:120], "form": form if can_manage else None}
    return render(request, "operations/sheet_list.html", context, status=400 if form.errors else 200)


def sheet_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.4: one sheet; the managing body approves a draft, a draft is recomputed, an approved one corrected."""
    sheet = selectors.sheet_get_for(user=request.user, pk=pk)
    correction = CorrectionForm(request.POST if request.POST.get("action") == "correct" else None)
    outcome = Styled({})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "correct":
            outcome = correction
            call = lambda data: services.allowance_sheet_prepare(  # noqa: E731
                actor=request.user, paying_agency=sheet.paying_agency, month=sheet.month, reason=data["reason"]
            )
        elif action == "approve":
            call = lambda data: services.allowance_sheet_approve(actor=request.user, sheet=sheet)  # noqa: E731
        else:
            call = lambda data: services.allowance_sheet_recompute(actor=request.user, sheet=sheet)  # noqa: E731
        result = run(request, outcome, call, _("Đã ghi nhận"))
        if result:
            return redirect("operations:sheet_detail", pk=result.pk)
    context = {
        "sheet": sheet,
        "lines": selectors.sheet_lines(sheet=sheet),
        "can_approve": selectors.can_approve(user=request.user),
        "can_manage": selectors.can_manage_staff(user=request.user),
        "correction": correction,
        "outcome": outcome,
    }
    return render(request, "operations/sheet_detail.html", context, status=400 if outcome.errors else 200)


@require_safe
def sheet_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """R10.4: the sheet as .xlsx (formula-like cells escaped)."""
    sheet = selectors.sheet_get_for(user=request.user, pk=pk)
    data = sheet_xlsx(sheet, list(selectors.sheet_lines(sheet=sheet)))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"ho-tro-{sheet.paying_agency.code}-{sheet.month:%Y%m}-v{sheet.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def estimate(request: AuthedRequest) -> HttpResponse:
    """R10.4 (003:11.5): the yearly estimate per paying agency, `?nam=2026`."""
    try:
        year = int(request.GET.get("nam", "") or timezone.localdate().year + 1)
    except ValueError:
        year = timezone.localdate().year + 1
    year = min(max(year, 2000), 2100)
    rows = selectors.allowance_estimate(user=request.user, year=year)
    context = {"year": year, "rows": rows, "total": sum(row.total for row in rows)}
    return render(request, "operations/estimate.html", context)
