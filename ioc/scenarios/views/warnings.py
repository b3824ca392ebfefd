"""Public warning pages for the IOC (R5.2, R5.5): the list with the form to publish, and one warning with the
leader's approval or rejection, an update or a cancellation. Thin views."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import Role, actor_has_role
from ioc.scenarios import selectors, services
from ioc.scenarios.forms import ReasonForm, WarningForm
from ioc.scenarios.models import PublicWarning


def _initial(warning: PublicWarning | None = None) -> dict[str, object]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    if warning is None:
        return {"onset": now, "expires": now + dt.timedelta(hours=12), "severity": 3, "urgency": "Expected"}
    fields = [f for f in WarningForm.base_fields if f not in ("area_geojson", "unit_codes")]
    initial: dict[str, object] = {name: getattr(warning, name) for name in fields}
    initial["unit_codes"] = ", ".join(warning.unit_codes)
    initial["onset"] = timezone.localtime(warning.onset)
    initial["expires"] = timezone.localtime(warning.expires)
    return initial


def warning_list(request: AuthedRequest) -> HttpResponse:
    """R5.2: every warning (awaiting approval first) and the form to publish a new one (POST)."""
    form = WarningForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        try:
            warning = services.warning_publish(actor=request.user, draft=form.draft())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã ghi nhận cảnh báo / Warning saved"))
            return redirect("scenarios:warning_detail", pk=warning.pk)
    context = {"form": form, "warnings": selectors.warning_staff_list()[:100]}
    return render(request, "scenarios/warnings.html", context, status=400 if form.errors else 200)


def _warning(pk: int) -> PublicWarning:
    warning = selectors.warning_get(pk=pk)
    if warning is None:
        raise Http404
    return warning


def _detail(
    request: AuthedRequest, warning: PublicWarning, form: WarningForm | None = None, reason: ReasonForm | None = None
) -> HttpResponse:
    context = {
        "warning": warning,
        "form": form or WarningForm(initial=_initial(warning)),
        "reason_form": reason or ReasonForm(),
        "is_leader": actor_has_role(request.user, [Role.IOC_LEADER]),
        "live": warning.state == "published" and warning.msg_type != "Cancel" and warning.expires > timezone.now(),
    }
    failed = (form is not None and form.errors) or (reason is not None and reason.errors)
    return render(request, "scenarios/warning_detail.html", context, status=400 if failed else 200)


def warning_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _warning(pk))


def warning_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R5.2, R5.5: approve or reject (the leader), update or cancel (POST); refusals name the field (400)."""
    warning = _warning(pk)
    if action not in ("approve", "reject", "update", "cancel"):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = WarningForm(request.POST) if action == "update" else None
    reason = ReasonForm(request.POST) if action in ("reject", "cancel") else None
    bound = form or reason
    if bound is not None and not bound.is_valid():
        return _detail(request, warning, form, reason)
    try:
        result = _run(request, warning, action, form, reason)
    except ValidationError as error:
        target = bound or ReasonForm({"reason": "-"})
        target.is_valid()
        add_service_errors(target, error)
        return _detail(request, warning, form, target if isinstance(target, ReasonForm) else reason)
    messages.success(request, _("Đã ghi nhận / Saved"))
    return redirect("scenarios:warning_detail", pk=result.pk)


def _run(
    request: AuthedRequest, warning: PublicWarning, action: str, form: WarningForm | None, reason: ReasonForm | None
) -> PublicWarning:
    if action == "approve":
        return services.warning_approve(actor=request.user, warning=warning)
    if action == "reject" and reason is not None:
        return services.warning_reject(actor=request.user, warning=warning, reason=reason.cleaned_data["reason"])
    if action == "cancel" and reason is not None:
        return services.warning_cancel(actor=request.user, original=warning, reason=reason.cleaned_data["reason"])
    assert form is not None
    return services.warning_update(actor=request.user, original=warning, draft=form.draft())
