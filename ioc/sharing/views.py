"""Pages of data sharing under /chia-se/ (R1.6): the requests board with due dates, the request form, a request
with the owner's approve and refuse forms, the owner's inbox, the grants held and given. Thin: parse, call one
selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.accounts.selectors import user_scope
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.common.roles import Role, actor_has_role
from ioc.datahub.choices import SharingMode
from ioc.sharing import selectors, services
from ioc.sharing.choices import RequestStatus
from ioc.sharing.forms import ApproveForm, RefuseForm, RequestForm, RevokeForm, TermsForm
from ioc.sharing.models import AccessRequest, Grant

BOARD_LIMIT = 200
OFFICERS = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})


def _render(request: AuthedRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["can_officer"] = actor_has_role(request.user, OFFICERS)
    return render(request, template, context, status=status)


def board(request: AuthedRequest) -> HttpResponse:
    """R1.6: the requests the user may see with their due dates (`?trang-thai=pending` keeps one status)."""
    status = request.GET.get("trang-thai", "")
    status = status if status in RequestStatus.values else ""
    rows = list(selectors.access_request_list(user=request.user, status=status)[:BOARD_LIMIT])
    context = {"rows": rows, "status": status, "statuses": RequestStatus.choices, "now": timezone.now(), "tab": "board"}
    return _render(request, "sharing/board.html", context)


def inbox(request: AuthedRequest) -> HttpResponse:
    """R1.6: the owner's inbox: pending requests for its datasets, earliest due first."""
    rows = list(selectors.inbox(user=request.user))
    return _render(request, "sharing/inbox.html", {"rows": rows, "now": timezone.now(), "tab": "inbox"})


def catalog(request: AuthedRequest) -> HttpResponse:
    """R1.6: the datasets the user's agency may ask for."""
    datasets = list(selectors.requestable_datasets(user=request.user))
    return _render(request, "sharing/catalog.html", {"datasets": datasets, "tab": "new"})


def request_new(request: AuthedRequest, dataset: str) -> HttpResponse:
    """R1.6: the request form for one dataset (fields, communes, purpose, legal basis, until when)."""
    found = selectors.requestable_datasets(user=request.user).filter(code=dataset).first()
    if found is None:
        raise Http404
    form = RequestForm(request.POST or None, dataset_fields=found.fields)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.access_request_submit(
                actor=request.user,
                dataset=found,
                fields=data["columns"],
                communes=list(data["communes"]),
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
                wanted_until=data["wanted_until"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"fields": "columns"})
        else:
            messages.success(request, _("Đã gửi yêu cầu chia sẻ dữ liệu."))
            return redirect("sharing:request_detail", pk=created.pk)
    context = {"dataset": found, "form": form, "on_request": found.sharing_mode == SharingMode.ON_REQUEST, "tab": "new"}
    return _render(request, "sharing/request_new.html", context, status=400 if form.errors else 200)


def _request(request: AuthedRequest, pk: int) -> AccessRequest:
    found = selectors.access_request_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


def _is_owner(request: AuthedRequest, found: AccessRequest) -> bool:
    return actor_has_role(request.user, OFFICERS) and found.dataset.owner_id in user_scope(user=request.user).agency_ids


def _detail(request: AuthedRequest, found: AccessRequest, status: int = 200, **forms: Any) -> HttpResponse:
    decide = _is_owner(request, found) and found.status == RequestStatus.PENDING
    context = {
        "item": found,
        "grant": getattr(found, "grant", None),
        "decide": decide,
        "can_refuse": decide and found.mode == SharingMode.ON_REQUEST,
        "approve_form": forms.get("approve_form")
        or ApproveForm(requested=found.fields, initial={"columns": found.fields}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "now": timezone.now(),
        "tab": "board",
    }
    return _render(request, "sharing/request_detail.html", context, status=status)


def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.6: one request, its due time and decision; the owner approves or refuses here."""
    return _detail(request, _request(request, pk))


@require_POST
def request_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    form = ApproveForm(request.POST, requested=found.fields)
    if form.is_valid():
        communes = list(form.cleaned_data["communes"]) or None
        try:
            services.access_request_approve(
                actor=request.user,
                request=found,
                fields=form.cleaned_data["columns"],
                communes=communes,
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"expires_at": "expires_on", "fields": "columns"})
        else:
            messages.success(request, _("Đã cấp quyền truy cập."))
            return redirect("sharing:request_detail", pk=found.pk)
    return _detail(request, found, status=400, approve_form=form)


@require_POST
def request_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_refuse(
                actor=request.user,
                request=found,
                reasons=form.cleaned_data["reasons"],
                legal_basis=form.cleaned_data["legal_basis"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã từ chối yêu cầu bằng văn bản."))
            return redirect("sharing:request_detail", pk=found.pk)
    return _detail(request, found, status=400, refuse_form=form)


def grants(request: AuthedRequest) -> HttpResponse:
    """R1.6: the grants the user's agency holds and those it gave (with revocation)."""
    held = list(selectors.grant_list(user=request.user))
    given = list(selectors.grant_list(user=request.user, given=True))
    context = {"held": held, "given": given, "revocable_ids": _revocable(request, given), "now": timezone.now()}
    context["tab"] = "grants"
    return _render(request, "sharing/grants.html", context)


def _revocable(request: AuthedRequest, grants: list[Grant]) -> set[int]:
    """The grants the user may revoke: its agency's as owner; every one for the system administrator."""
    if actor_has_role(request.user, {Role.SYSTEM_ADMIN}):
        return {g.pk for g in grants}
    if not actor_has_role(request.user, OFFICERS):
        return set()
    agency_ids = user_scope(user=request.user).agency_ids
    return {g.pk for g in grants if g.dataset.owner_id in agency_ids}


@require_POST
def grant_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    found = selectors.grant_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.grant_revoke(actor=request.user, grant=found, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for reasons in exc.message_dict.values():
                for reason in reasons:
                    messages.error(request, reason)
            return redirect("sharing:grants")
        messages.success(request, _("Đã thu hồi quyền truy cập."))
    return redirect("sharing:grants")


TERMS_FIELDS = ("setup_working_days", "response_working_days", "max_grant_days", "remind_before_hours")


def terms(request: AuthedRequest) -> HttpResponse:
    """R1.6: the sharing terms as configuration (the system administrator and the IOC leader)."""
    current = selectors.sharing_terms()
    form = TermsForm(request.POST or None, initial={name: getattr(current, name) for name in TERMS_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_terms_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy định chia sẻ dữ liệu."))
            return redirect("sharing:terms")
    return render(request, "sharing/config/terms.html", {"form": form}, status=400 if form.errors else 200)
