"""Pages of sensors under /cam-bien/ (R4.1, R5.2, R5.5): the latest sensor states with their bands, alert rules
(list, create, edit with a 7-day preview), silences and maintenance windows, the camera registry. Thin: parse,
call one service or selector, render; a service's refusal goes back on the form with status 400."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.agencies import selectors as agency_selectors
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.sensors import selectors, services
from ioc.sensors.forms import CameraForm, RuleForm, SilenceForm
from ioc.sensors.models import AlertRule


def states(request: AuthedRequest) -> HttpResponse:
    """R5.5: each visible Datastream's latest value, its band and its open rule states."""
    rows = selectors.datastream_states(user=request.user)
    return render(request, "sensors/states.html", {"rows": rows, "tab": "states"})


def _rule_page(request: AuthedRequest, form: RuleForm, status: int = 200) -> HttpResponse:
    context = {"rules": selectors.rule_list(), "form": form, "tab": "rules"}
    return render(request, "sensors/rules.html", context, status=status)


def _saved(form: forms.Form, call: Any) -> bool:
    """Run a service with the form's data; its ValidationError goes on the form."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def rules(request: AuthedRequest) -> HttpResponse:
    """R4.1: the rules, and a form to add one."""
    if request.method != "POST":
        return _rule_page(request, RuleForm())
    form = RuleForm(request.POST)
    if _saved(form, lambda data: services.rule_create(actor=request.user, **data)):
        messages.success(request, _("Đã tạo quy tắc / Rule created"))
        return redirect("sensors:rules")
    return _rule_page(request, form, status=400)


def _rule_or_404(pk: int) -> AlertRule:
    rule = selectors.rule_get(pk=pk)
    if rule is None:
        raise Http404
    return rule


def _initial(rule: AlertRule) -> dict[str, Any]:
    fields = [f for f in RuleForm.base_fields if f not in ("unit", "area", "labels")]
    initial = {name: getattr(rule, name) for name in fields}
    initial["unit"] = rule.unit.code if rule.unit else ""
    initial["area"] = json.dumps(rule.area, ensure_ascii=False) if rule.area else ""
    initial["labels"] = "\n".join(f"{k}={v}" for k, v in (rule.labels or {}).items())
    return initial


def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.1: change a rule; the preview shows when it would have fired over the last 7 days."""
    rule = _rule_or_404(pk)
    form = RuleForm(request.POST) if request.method == "POST" else RuleForm(initial=_initial(rule))
    if request.method == "POST":
        if _saved(form, lambda data: services.rule_update(actor=request.user, rule=rule, **data)):
            messages.success(request, _("Đã lưu quy tắc / Rule saved"))
            return redirect("sensors:rule_edit", pk=rule.pk)
        rule.refresh_from_db()
    preview = selectors.rule_preview(rule=rule, now=timezone.now())
    context = {"rule": rule, "form": form, "preview": preview, "tab": "rules", "days": selectors.PREVIEW_DAYS}
    return render(request, "sensors/rule_edit.html", context, status=400 if form.errors else 200)


def silences(request: AuthedRequest) -> HttpResponse:
    """R4.1: silences and maintenance windows, and a form to add one."""
    form = SilenceForm(request.POST or None)
    if request.method == "POST" and _saved(form, lambda data: services.silence_create(actor=request.user, **data)):
        messages.success(request, _("Đã tắt tiếng / Silence created"))
        return redirect("sensors:silences")
    context = {**selectors.silence_list(now=timezone.now()), "form": form, "tab": "silences"}
    return render(request, "sensors/silences.html", context, status=400 if form.errors else 200)


@require_POST
def silence_expire(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.1: end a silence now (POST only)."""
    silence = selectors.silence_get(pk=pk)
    if silence is None:
        raise Http404
    services.silence_expire(actor=request.user, silence=silence)
    messages.success(request, _("Đã kết thúc tắt tiếng / Silence ended"))
    return redirect("sensors:silences")


def cameras(request: AuthedRequest) -> HttpResponse:
    """R5.2: the camera registry, and a form to add a camera."""
    agencies = [(a.pk, str(a)) for a in agency_selectors.agency_list()]
    form = CameraForm(request.POST or None, agencies=agencies)
    if request.method == "POST":

        def create(data: dict[str, Any]) -> Any:
            agency = agency_selectors.agency_by_id(agency_id=data.pop("agency"))
            if agency is None:
                raise ValidationError({"agency": [_("Không có cơ quan này / Unknown agency")]})
            return services.camera_create(actor=request.user, agency=agency, code=data.pop("code"), **data)

        if _saved(form, create):
            messages.success(request, _("Đã thêm camera / Camera added"))
            return redirect("sensors:cameras")
    context = {"cameras": selectors.camera_list(user=request.user), "form": form, "tab": "cameras"}
    return render(request, "sensors/cameras.html", context, status=400 if form.errors else 200)
