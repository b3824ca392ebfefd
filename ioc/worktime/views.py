"""The working-calendar page of the "Quản trị" section (R3.3, R4.3): extra days off, compensatory working days,
working hours per agency and the agencies counting 24/7. Thin: parse, call a worktime service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.accounts.models import User
from ioc.agencies import selectors as agency_selectors
from ioc.common.forms import add_service_errors
from ioc.worktime import selectors, services
from ioc.worktime.forms import CalendarExceptionForm, WorkingHoursForm


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "exceptions": selectors.calendar_exception_list(year=year),
        "hours": selectors.working_hours_list(),
        "around_the_clock": selectors.around_the_clock_agencies(),
        "exception_form": forms.get("exception_form") or CalendarExceptionForm(),
        "hours_form": forms.get("hours_form") or WorkingHoursForm(),
    }
    return render(request, "worktime/config/index.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.3: the calendar of a year and the working hours."""
    return _page(request)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_POST
def exception_add(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.3: declare an extra day off or a compensatory working day."""
    form = CalendarExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_exception_add(
                actor=_actor(request),
                day=data["date"],
                kind=data["kind"],
                name=data["name"],
                document_ref=data["document_ref"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ngày ngoại lệ / Exception added"))
            return redirect(f"{reverse('worktime:index')}?nam={data['date'].year}")
    return _page(request, status=400, exception_form=form)


@require_POST
def exception_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """R3.3, R4.3: withdraw an exception (the national calendar applies again)."""
    exception = selectors.calendar_exception_get(pk=pk)
    if exception is None:
        raise Http404(_("Không tìm thấy ngày ngoại lệ / No such exception"))
    services.calendar_exception_remove(actor=_actor(request), exception=exception)
    messages.success(request, _("Đã bỏ ngày ngoại lệ / Exception withdrawn"))
    return redirect("worktime:index")


@require_POST
def hours_set(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.3: set an agency's working periods (or the default), or 24/7."""
    form = WorkingHoursForm(request.POST)
    if form.is_valid():
        try:
            services.agency_working_hours_set(actor=_actor(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu giờ làm việc / Working hours saved"))
            return redirect("worktime:index")
    return _page(request, status=400, hours_form=form)


@require_POST
def hours_remove(request: HttpRequest) -> HttpResponse:
    """R3.3, R4.3: an agency goes back to the default working hours (no agency: back to the built-in ones)."""
    raw = request.POST.get("agency", "")
    agency = agency_selectors.agency_by_id(agency_id=int(raw)) if raw.isdigit() else None
    if raw and agency is None:
        raise Http404(_("Không tìm thấy cơ quan / No such agency"))
    try:
        services.agency_working_hours_remove(actor=_actor(request), agency=agency)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã bỏ giờ làm việc riêng / Own working hours removed"))
    return redirect("worktime:index")
