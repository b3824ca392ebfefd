"""The information-system pages of the "Quản trị" section (R1.1, R1.2, R7.2; DESIGN "Tokens").

A system is created, renamed and retired by the administrator; its service account and its tokens only through a
recorded written request (number, date, issuing body, approver). A new token's value is shown once, on the page
that answers the issuing request, and never again (only its prefix and digest are stored).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ioc.accounts import selectors, services
from ioc.accounts.choices import RequestKind
from ioc.accounts.forms.systems import DocumentForm, SystemForm, TokenIssueForm
from ioc.accounts.models import ApiToken, User
from ioc.agencies import selectors as agency_selectors
from ioc.agencies import services as agency_services
from ioc.agencies.models import InformationSystem
from ioc.common.forms import add_service_errors


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _system(pk: int) -> InformationSystem:
    system = agency_selectors.information_system_by_id(system_id=pk)
    if system is None:
        raise Http404(_("Không tìm thấy hệ thống / No such information system"))
    return system


def _tokens_by_user() -> dict[int, list[ApiToken]]:
    found: dict[int, list[ApiToken]] = {}
    for token in selectors.token_list():
        found.setdefault(token.user_id, []).append(token)
    return found


def system_list(request: HttpRequest) -> HttpResponse:
    """R1.1, R1.2: systems in operation with their service account and tokens in force, retired ones apart."""
    tokens = _tokens_by_user()
    rows = [(s, tokens.get(s.service_user_id or 0, [])) for s in agency_selectors.information_system_list()]
    context = {"active": [r for r in rows if r[0].is_active], "retired": [r for r in rows if not r[0].is_active]}
    return render(request, "accounts/systems/list.html", context)


def system_create(request: HttpRequest) -> HttpResponse:
    """R1.1, R1.2: a new information system of an agency."""
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            system = agency_services.information_system_create(actor=_actor(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm hệ thống / Information system added"))
            return redirect("accounts:system_detail", pk=system.pk)
    return render(request, "accounts/systems/form.html", {"form": form}, status=400 if form.errors else 200)


def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """R1.1, R1.2: rename or describe a system; its service account and tokens with their actions."""
    system = _system(pk)
    initial = {"name": system.name, "description": system.description}
    form = SystemForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            agency_services.information_system_update(actor=_actor(request), system=system, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hệ thống / Information system saved"))
            return redirect("accounts:system_detail", pk=system.pk)
    tokens = _tokens_by_user().get(system.service_user_id or 0, [])
    context = {"form": form, "system": system, "tokens": tokens}
    return render(request, "accounts/systems/detail.html", context, status=400 if form.errors else 200)


@require_POST
def system_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """R1.1, R1.2: a system stops (or resumes) operating; refused while it holds tokens in force."""
    system = _system(pk)
    active = request.POST.get("is_active") == "1"
    try:
        agency_services.information_system_update(actor=_actor(request), system=system, is_active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:system_detail", pk=system.pk)
    resumed = _("Hệ thống hoạt động trở lại / System in operation again")
    messages.success(request, resumed if active else _("Đã ngừng hệ thống / System retired"))
    return redirect("accounts:systems")


def _document_page(
    request: HttpRequest, form: DocumentForm, system: InformationSystem, action: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "system": system, "action": action, **extra}
    return render(request, "accounts/systems/request.html", context, status=400 if form.errors else 200)


def system_account(request: HttpRequest, pk: int) -> HttpResponse:
    """R7.2: the system's service account, created on its written request."""
    system = _system(pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_account_submit(actor=_actor(request), system=system, **form.document())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản hệ thống / Service account created"))
            return redirect("accounts:system_detail", pk=system.pk)
    return _document_page(request, form, system, "account")


@never_cache
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """DESIGN "Tokens": issue a token on its written request; its value is shown once, on this answer only."""
    system = _system(pk)
    form = TokenIssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if system.service_user is None:
            form.add_error(None, _("Hệ thống chưa có tài khoản: hãy tạo trước / Create the service account first"))
        else:
            change = {k: form.cleaned_data[k] for k in ("scopes", "expires_at", "label")} | {
                "user": system.service_user
            }
            try:
                result = services.account_change_submit(
                    kind=RequestKind.ISSUE_TOKEN, actor=_actor(request), change=change, **form.document()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(request, "accounts/systems/token_shown.html", {"system": system, "result": result})
    return _document_page(request, form, system, "issue")


def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    """DESIGN "Tokens": revoke one of the system's tokens on its written request."""
    system = _system(pk)
    token = next((t for t in _tokens_by_user().get(system.service_user_id or 0, []) if t.pk == token_pk), None)
    if token is None:
        raise Http404(_("Không tìm thấy mã truy cập đang hiệu lực / No such token in force"))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        change = {"user": token.user, "token": token}
        try:
            services.account_change_submit(
                kind=RequestKind.REVOKE_TOKEN, actor=_actor(request), change=change, **form.document()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thu hồi mã truy cập / Token revoked"))
            return redirect("accounts:system_detail", pk=system.pk)
    return _document_page(request, form, system, "revoke", token=token)
