"""Scenario pages (R4.6): the list with open activations, a scenario with its versions and the leader's
activation, and the editor with validation and the dry run. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import Role, actor_has_role
from ioc.geo import selectors as geo_selectors
from ioc.scenarios import selectors, services
from ioc.scenarios.definition import definition_clean
from ioc.scenarios.forms import ActivateForm, ScenarioForm
from ioc.scenarios.models import Scenario
from ioc.scenarios.services.config import CONFIG_ROLES

EXAMPLE = {
    "incident": {"kind": "env.flood_level", "severity": 4, "title": "Ngập lụt khu dân cư"},
    "process": "time_bound",
    "triggers": [{"type": "alert", "kind": "env.flood_level", "min_severity": 3}],
    "area": {"type": "circle", "lat": 20.65, "lon": 106.05, "radius_m": 5000},
    "steps": [{"agency": "<mã cơ quan>", "title": "Sơ tán dân", "deadline_hours": 4, "checklist": ["Lập danh sách"]}],
    "message": "Triển khai phương án",
    "activates": [],
}


def index(request: AuthedRequest) -> HttpResponse:
    """R4.6, R4.4: the scenarios (retired apart) and the open activations."""
    scenarios = list(selectors.scenario_list())
    context = {
        "active": [s for s in scenarios if s.is_active],
        "retired": [s for s in scenarios if not s.is_active],
        "open": list(selectors.activation_list(user=request.user, open_only=True)[:50]),
        "can_edit": actor_has_role(request.user, CONFIG_ROLES),
    }
    return render(request, "scenarios/index.html", context)


def _scenario(pk: int) -> Scenario:
    scenario = selectors.scenario_get(pk=pk)
    if scenario is None:
        raise Http404
    return scenario


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.6: one scenario, its versions, its past activations and (for the IOC leader) the activation form."""
    return _detail(request, _scenario(pk), ActivateForm())


def _detail(request: AuthedRequest, scenario: Scenario, form: ActivateForm, status: int = 200) -> HttpResponse:
    context = {
        "scenario": scenario,
        "pretty": json.dumps(scenario.definition, ensure_ascii=False, indent=2),
        "versions": scenario.versions.select_related("saved_by")[:20],
        "activations": selectors.activation_list(user=request.user).filter(scenario=scenario)[:20],
        "form": form,
        "can_activate": actor_has_role(request.user, [Role.IOC_LEADER]) and scenario.is_active,
        "can_edit": actor_has_role(request.user, CONFIG_ROLES),
    }
    return render(request, "scenarios/detail.html", context, status=status)


def activate(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.6: the IOC leader activates a scenario (POST), then directs it from the command view."""
    scenario = _scenario(pk)
    if request.method != "POST":
        return redirect("scenarios:detail", pk=pk)
    form = ActivateForm(request.POST)
    if form.is_valid():
        try:
            activation = services.scenario_activate(
                scenario=scenario, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã kích hoạt kịch bản / Scenario activated"))
            return redirect("scenarios:command", pk=activation.pk)
    return _detail(request, scenario, form, status=400)


def _boundaries_url() -> str:
    """The territory's communes drawn under the area map, when the deployment has a territory."""
    if geo_selectors.territory_get(profile=settings.IOC_PROFILE) is None:
        return ""
    return reverse("geo_api:territory-boundaries")


def _editor(request: AuthedRequest, form: ScenarioForm, scenario: Scenario | None, **extra: Any) -> HttpResponse:
    context = {
        "form": form,
        "scenario": scenario,
        "example": json.dumps(EXAMPLE, ensure_ascii=False, indent=2),
        "boundaries_url": _boundaries_url(),
        **extra,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "scenarios/edit.html", context, status=status)


def _save(request: AuthedRequest, form: ScenarioForm, scenario: Scenario | None) -> Scenario:
    data = form.cleaned_data
    common = {"name": data["name"], "group": data["group"], "description": data["description"]}
    if scenario is None:
        return services.scenario_create(actor=request.user, code=data["code"], definition=data["definition"], **common)
    return services.scenario_update(
        actor=request.user, scenario=scenario, definition=data["definition"], is_active=data["is_active"], **common
    )


def edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """R4.6: create or edit a scenario; "dry run" shows when it would have fired in the last 30 days."""
    scenario = _scenario(pk) if pk is not None else None
    if request.method != "POST":
        initial: dict[str, object] = {"definition": json.dumps(EXAMPLE, ensure_ascii=False, indent=2)}
        if scenario is not None:
            initial = {
                "code": scenario.code,
                "name": scenario.name,
                "group": scenario.group,
                "description": scenario.description,
                "definition": json.dumps(scenario.definition, ensure_ascii=False, indent=2),
                "is_active": scenario.is_active,
            }
        return _editor(request, ScenarioForm(initial=initial), scenario)
    form = ScenarioForm(request.POST)
    if not form.is_valid():
        return _editor(request, form, scenario)
    try:
        if request.POST.get("dry_run"):
            return _dry_run(request, form, scenario)
        saved = _save(request, form, scenario)
    except ValidationError as error:
        _definition_errors(form, error)
        return _editor(request, form, scenario)
    messages.success(request, _("Đã lưu phiên bản %(n)d / Saved version %(n)d") % {"n": saved.version})
    return redirect("scenarios:detail", pk=saved.pk)


def _definition_errors(form: ScenarioForm, error: ValidationError) -> None:
    """Errors naming a place inside the definition (`steps[0].agency`) go under the definition, with the place."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for place, reasons in error.message_dict.items():
        if place in form.fields:
            form.add_error(place, reasons)
        else:
            form.add_error("definition", [f"{place}: {reason}" for reason in reasons])


def _dry_run(request: AuthedRequest, form: ScenarioForm, scenario: Scenario | None) -> HttpResponse:
    code = scenario.code if scenario is not None else (form.cleaned_data["code"] or "new")
    normal = definition_clean(form.cleaned_data["definition"], code=code, graph=selectors.scenario_graph)
    firings = selectors.dry_run(definition=normal)
    return _editor(request, form, scenario, firings=firings, dry_run=True)
