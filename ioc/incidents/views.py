"""Pages of incidents (R4.1–R4.5): the operator's alert inbox with verify / merge / dismiss, the "new alert" form
for calls, the incident list, and one incident with its timeline and the actions the user's role allows. Thin:
parse, call one service or selector, render. Agencies act on their parts through the assignments inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ioc.accounts.choices import IOC_STAFF_ROLES
from ioc.common.authed import AuthedRequest
from ioc.common.choices import Severity
from ioc.common.forms import add_service_errors
from ioc.common.images import image_clean
from ioc.common.roles import actor_has_role
from ioc.incidents import selectors, services
from ioc.incidents.choices import KINDS, AlertSource
from ioc.incidents.forms import (
    AlertNewForm,
    DispatchForm,
    ForwardForm,
    IncidentFilterForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ResultForm,
    TimelineNoteForm,
    VerifyForm,
)
from ioc.incidents.models import Alert, Incident

PAGE_SIZE = 25

# --- the alert inbox (R4.1, R4.2) ---------------------------------------------------------------------------------


def _inbox(request: AuthedRequest, failed: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.alert_inbox(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "severities": Severity.choices,
        "merge_form": MergeForm(user=request.user),
        "severe_waiting": selectors.alert_unacknowledged_severe(user=request.user),
        "open_incidents": selectors.incident_list(user=request.user, state=selectors.OPEN)[:10],
        "failed": failed or {},
    }
    return render(request, "incidents/index.html", context, status=status)


def index(request: AuthedRequest) -> HttpResponse:
    """R4.1, R4.2: the one inbox of alerts (severe ones first, highlighted and sounding until acknowledged).
    The area's entry page for every staff role: people outside the IOC go on to the incidents they may see."""
    if not actor_has_role(request.user, IOC_STAFF_ROLES):
        return redirect("incidents:incident_list")
    return _inbox(request)


def _alert_form(action: str, request: AuthedRequest) -> forms.Form | None:
    if action == "verify":
        return VerifyForm(request.POST)
    if action == "merge":
        return MergeForm(request.POST, user=request.user)
    if action == "dismiss":
        return ReasonForm(request.POST)
    return None


def _alert_do(action: str, alert: Alert, form: forms.Form | None, request: AuthedRequest) -> str:
    """Run one decision; returns where to go next."""
    data = form.cleaned_data if form is not None else {}
    if action == "acknowledge":
        services.alert_acknowledge(alert=alert, actor=request.user)
        return "incidents:index"
    if action == "verify":
        incident = services.alert_verify(
            alert=alert,
            actor=request.user,
            severity=data.get("severity"),
            title=data.get("title") or None,
            description=data.get("description") or "",
        )
        messages.success(request, _("Đã mở sự cố %(ref)s / Incident opened") % {"ref": incident.reference})
        return reverse("incidents:incident_detail", args=[incident.pk])
    if action == "merge":
        services.alert_merge(alert=alert, incident=data["incident"], actor=request.user, note=data.get("note") or "")
    else:
        services.alert_dismiss(alert=alert, actor=request.user, reason=data["reason"])
    return "incidents:index"


ALERT_ACTIONS = frozenset({"acknowledge", "verify", "merge", "dismiss"})


def alert_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R4.2: acknowledge, verify (open an incident), merge into an open incident, or dismiss with a reason."""
    if request.method != "POST" or action not in ALERT_ACTIONS:
        return HttpResponse(status=405 if action in ALERT_ACTIONS else 404)
    alert = selectors.alert_get_for(user=request.user, pk=pk)
    form = _alert_form(action, request)
    if form is None or form.is_valid():
        try:
            return redirect(_alert_do(action, alert, form, request))
        except ValidationError as exc:
            form = form or forms.Form()
            add_service_errors(form, exc)
    failed = {"alert": alert.pk, "action": action, "form": form}
    return _inbox(request, failed, status=400)


def alert_new(request: AuthedRequest) -> HttpResponse:
    """R4.1: a hotline or phone call taken as an alert (source `people`, the operator as actor)."""
    form = AlertNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = services.alert_raise(
                source=AlertSource.PEOPLE,
                dedup_key=f"call:{request.user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
                kind=data["kind"],
                severity=data["severity"],
                title=data["title"],
                occurred_at=timezone.now(),
                point=form.point(),
                unit=data.get("unit"),
                payload={"description": data.get("description") or ""},
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"point": "lat"})
        else:
            messages.success(request, _("Đã ghi nhận cảnh báo / Alert recorded"))
            if alert.incident_id:
                return redirect("incidents:incident_detail", pk=alert.incident_id)
            return redirect("incidents:index")
    status = 400 if request.method == "POST" else 200
    return render(request, "incidents/alert_new.html", {"form": form}, status=status)


# --- incidents (R4.3–R4.5) ------------------------------------------------------------------------------------------


def incident_list(request: HttpRequest) -> HttpResponse:
    """R4.3–R4.5: the incidents the user may see (the IOC: all; an agency: those it holds a part of)."""
    form = IncidentFilterForm(request.GET or {"state": "open"})
    rows = selectors.incident_list(user=request.user, **form.params())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "is_ioc": actor_has_role(request.user, IOC_STAFF_ROLES)}
    return render(request, "incidents/incident_list.html", context)


Runner = Callable[[Incident, Any, dict[str, Any]], Any]
# action → (form class, service call); the selectors decide which the page shows, the services check again.
INCIDENT_ACTIONS: dict[str, tuple[type[forms.Form], Runner]] = {
    "approve": (NoteForm, lambda i, u, d: services.incident_approve(incident=i, actor=u, note=d["note"])),
    "forward": (
        ForwardForm,
        lambda i, u, d: services.incident_forward(
            incident=i,
            agencies=list(d["agencies"]),
            actor=u,
            working_hours=d.get("working_hours"),
            accept_within=d.get("accept_within"),
            instructions=d["instructions"],
        ),
    ),
    "dispatch": (
        DispatchForm,
        lambda i, u, d: services.incident_dispatch(
            incident=i, agencies=list(d["agencies"]), actor=u, minutes=d.get("minutes"), instructions=d["instructions"]
        ),
    ),
    "en_route": (NoteForm, lambda i, u, d: services.incident_en_route(incident=i, actor=u, note=d["note"])),
    "on_scene": (NoteForm, lambda i, u, d: services.incident_on_scene(incident=i, actor=u, note=d["note"])),
    "clear": (NoteForm, lambda i, u, d: services.incident_clear(incident=i, actor=u, note=d["note"])),
    "confirm": (NoteForm, lambda i, u, d: services.incident_confirm(incident=i, actor=u, note=d["note"])),
    "close": (ResultForm, lambda i, u, d: services.incident_close(incident=i, actor=u, result=d["result"])),
    "cancel": (ReasonForm, lambda i, u, d: services.incident_cancel(incident=i, actor=u, reason=d["reason"])),
    "note": (
        TimelineNoteForm,
        lambda i, u, d: services.incident_note(incident=i, actor=u, text=d["text"], photo=d.get("clean_photo")),
    ),
}


# action → (title, button class) on the incident's page.
ACTION_LABELS: dict[str, tuple[Any, str]] = {
    "approve": (gettext_lazy("Lãnh đạo IOC duyệt / Approve"), "btn-primary"),
    "forward": (gettext_lazy("Chuyển cơ quan xử lý / Forward to agencies"), "btn-primary"),
    "dispatch": (gettext_lazy("Điều động lực lượng / Dispatch forces"), "btn-outline-danger"),
    "en_route": (gettext_lazy("Lực lượng đang đến / Forces en route"), "btn-primary"),
    "on_scene": (gettext_lazy("Lực lượng đã có mặt / Forces on scene"), "btn-primary"),
    "clear": (gettext_lazy("Xử lý xong hiện trường / Scene cleared"), "btn-success"),
    "confirm": (gettext_lazy("Xác nhận kết quả / Confirm the result"), "btn-success"),
    "close": (gettext_lazy("Đóng sự cố / Close the incident"), "btn-success"),
    "cancel": (gettext_lazy("Hủy sự cố / Cancel the incident"), "btn-outline-danger"),
    "note": (gettext_lazy("Ghi chú, ảnh / Note, photo"), "btn-outline-primary"),
}
ACTION_ORDER = ("approve", "dispatch", "en_route", "on_scene", "clear", "forward", "confirm", "close", "note", "cancel")


def _detail(request: AuthedRequest, incident: Incident, failed: tuple[str, forms.Form] | None = None) -> HttpResponse:
    parts = selectors.incident_parts(incident=incident)
    actions = selectors.incident_actions(user=request.user, incident=incident, parts=parts)
    action_forms = {name: INCIDENT_ACTIONS[name][0]() for name in actions.names}
    if failed is not None:
        action_forms[failed[0]] = failed[1]
    cards = [(n, *ACTION_LABELS[n], action_forms[n]) for n in ACTION_ORDER if n in action_forms]
    context = {
        "incident": incident,
        "kind": KINDS.get(incident.kind),
        "parts": parts,
        "events": list(incident.events.all()),
        "alerts": list(incident.alerts.all()),
        "action_cards": cards,
        "times": {
            "call_to_dispatch": services.minutes_between(incident.raised_at, incident.dispatched_at),
            "dispatch_to_scene": services.minutes_between(incident.dispatched_at, incident.on_scene_at),
        },
        "is_ioc": actor_has_role(request.user, IOC_STAFF_ROLES),
    }
    return render(request, "incidents/incident_detail.html", context, status=400 if failed else 200)


def incident_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R4.5: one incident: where, how severe, its alerts, agencies' parts, the timeline and the allowed actions."""
    return _detail(request, selectors.incident_get_for(user=request.user, pk=pk))


def _clean_photo(form: forms.Form) -> None:
    upload = form.cleaned_data.get("photo")
    if upload:
        try:
            form.cleaned_data["clean_photo"] = image_clean(upload)
        except ValidationError as exc:
            form.add_error("photo", exc.messages)


def incident_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R4.2–R4.5: one step on an incident (the service checks the actor, the state and the input)."""
    if action not in INCIDENT_ACTIONS:
        return HttpResponse(status=404)
    if request.method != "POST":
        return HttpResponse(status=405)
    incident = selectors.incident_get_for(user=request.user, pk=pk)
    form_class, run = INCIDENT_ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid() and action == "note":
        _clean_photo(form)
    if form.is_valid():
        try:
            run(incident, request.user, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã cập nhật sự cố / Incident updated"))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return _detail(request, selectors.incident_get_for(user=request.user, pk=pk), (action, form))


def incident_photo(request: HttpRequest, pk: int, event_pk: int) -> FileResponse:
    """A photo of an incident's timeline, served only to people who may see the incident."""
    line = selectors.incident_event_file(user=request.user, incident_pk=pk, pk=event_pk)
    response = FileResponse(line.file.open("rb"), content_type=line.content_type or "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
