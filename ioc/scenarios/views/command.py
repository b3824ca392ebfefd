"""The command view (R4.4): the incident on the map with its area, resources as records, each agency's checklist
progress, the timeline, notes and decisions; it works on a wall, a laptop and a 360 px phone. Thin views."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import IOC_STAFF_ROLES, Role, actor_has_role
from ioc.scenarios import selectors, services
from ioc.scenarios.forms import ChecklistForm, DecisionForm, ResourceForm, ResourceStatusForm
from ioc.scenarios.models import Activation


def _activation(request: AuthedRequest, pk: int) -> Activation:
    activation = selectors.activation_get(user=request.user, pk=pk)
    if activation is None:
        raise Http404
    return activation


def _render(
    request: AuthedRequest, activation: Activation, failed: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    view = selectors.command_view(activation=activation)
    context = {
        "view": view,
        "activation": activation,
        "incident": view.incident,
        "resource_form": failed if isinstance(failed, ResourceForm) else ResourceForm(),
        "decision_form": failed if isinstance(failed, DecisionForm) else DecisionForm(),
        "failed": failed,
        "can_act": actor_has_role(request.user, IOC_STAFF_ROLES),
        "is_leader": actor_has_role(request.user, [Role.IOC_LEADER]),
        "map_json": {
            **view.map_data,
            "resources": [[r.lat, r.lon] for r in view.resources if r.lat is not None and r.lon is not None],
        },
        "statuses": ResourceStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "scenarios/command.html", context, status=status)


def command(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.4: the command view of an activation."""
    return _render(request, _activation(request, pk))


def _call(form: forms.Form, run: Callable[[], object]) -> forms.Form:
    """Run the service; its refusal goes on the form (field and reason)."""
    try:
        run()
    except ValidationError as error:
        add_service_errors(form, error)
    return form


def _resource(request: AuthedRequest, activation: Activation) -> forms.Form:
    form = ResourceForm(request.POST)
    if form.is_valid():
        _call(form, lambda: services.resource_record(activation=activation, actor=request.user, **form.cleaned_data))
    return form


def _resource_status(request: AuthedRequest, activation: Activation) -> forms.Form:
    form = ResourceStatusForm(request.POST)
    resource = selectors.resource_get(user=request.user, pk=int(request.POST.get("resource") or 0))
    if resource is None or resource.activation_id != activation.pk:
        raise Http404
    if form.is_valid():
        status = form.cleaned_data["status"]
        _call(form, lambda: services.resource_status_set(resource=resource, status=status, actor=request.user))
    return form


def _decision(request: AuthedRequest, activation: Activation) -> forms.Form:
    form = DecisionForm(request.POST)
    if form.is_valid():
        _call(form, lambda: services.decision_record(activation=activation, actor=request.user, **form.cleaned_data))
    return form


def _checklist(request: AuthedRequest, activation: Activation) -> forms.Form:
    form = ChecklistForm(request.POST)
    item = selectors.checklist_item_get(user=request.user, pk=int(request.POST.get("item") or 0))
    if item is None or item.activation_id != activation.pk:
        raise Http404
    if form.is_valid():
        done = form.cleaned_data["done"]
        _call(form, lambda: services.checklist_item_set(item=item, done=done, actor=request.user))
    return form


def _forward(request: AuthedRequest, activation: Activation) -> forms.Form:
    form = forms.Form({})
    form.is_valid()
    return _call(form, lambda: services.activation_forward_steps(activation=activation, actor=request.user))


ACTIONS: dict[str, Callable[[AuthedRequest, Activation], forms.Form]] = {
    "resource": _resource,
    "resource-status": _resource_status,
    "decision": _decision,
    "checklist": _checklist,
    "forward": _forward,
}


def command_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R4.4: one action of the command view (POST); a refusal re-renders the view with the reason (400)."""
    activation = _activation(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = handler(request, activation)
    if form.errors:
        return _render(request, activation, form, status=400)
    messages.success(request, _("Đã ghi nhận / Saved"))
    return redirect("scenarios:command", pk=activation.pk)
