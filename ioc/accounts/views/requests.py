"""The system administrator's pages for accounts (R7.1, R7.2): users with roles, written requests, and one
change applied per recorded request. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ioc.accounts import selectors, services
from ioc.accounts.forms.own import FIELD_OF_ERROR, AccountChangeForm
from ioc.accounts.models import User
from ioc.accounts.uploads import scan_content_type
from ioc.common.forms import add_service_errors

PAGE_SIZE = 50


def user_list(request: HttpRequest) -> HttpResponse:
    """R7.1: accounts with their active roles, and the tokens in force."""
    page = Paginator(selectors.user_list_with_roles(include_removed=True), PAGE_SIZE).get_page(request.GET.get("page"))
    tokens = selectors.token_list()[:PAGE_SIZE]
    return render(request, "accounts/manage_users.html", {"page": page, "tokens": tokens})


def request_list(request: HttpRequest) -> HttpResponse:
    """R7.2: the written requests behind every account change."""
    page = Paginator(selectors.account_request_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/manage_requests.html", {"page": page})


@never_cache
@sensitive_post_parameters("password", "new_password")
def request_new(request: HttpRequest) -> HttpResponse:
    """R7.2: record one written request and apply its change; a new token is shown once, here."""
    actor = request.user
    assert isinstance(actor, User)
    initial = {key: request.GET[key] for key in ("kind", "user", "role") if key in request.GET}
    form = AccountChangeForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.account_change_submit(
                kind=data["kind"],
                document_no=data["document_no"],
                document_date=data["document_date"],
                issuing_body=data["issuing_body"],
                approver=data["approver"],
                actor=actor,
                change=form.change(),
                scan=data.get("scan"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc, fields=FIELD_OF_ERROR)
        else:
            return render(request, "accounts/manage_applied.html", {"result": result})
    return render(request, "accounts/manage_request_form.html", {"form": form}, status=400 if form.errors else 200)


def request_scan(request: HttpRequest, pk: int) -> FileResponse:
    """R7.2: the stored scan of a request, served only through this guarded view (never a public URL)."""
    account_request = selectors.account_request_get(pk=pk)
    if account_request is None or not account_request.scan:
        raise Http404
    handle: Any = account_request.scan.open("rb")
    content_type = scan_content_type(handle.read(16)) or "application/octet-stream"
    handle.seek(0)
    name = f"van-ban-{account_request.pk}" + {"application/pdf": ".pdf", "image/png": ".png"}.get(content_type, ".jpg")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
