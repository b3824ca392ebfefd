"""Federation's configuration pages under /quan-tri/lien-thong/ (R9.1, "Quản trị"): links (parent address, agreed
flows, retirement), their keys (set on a written request, the secret shown once, rotation by a new request) and
code mappings. Thin: parse, call one service or selector, render; a service's error goes on the form (400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.federation import selectors, services
from ioc.federation.forms.config import KeysForm, LinkForm, MappingForm
from ioc.federation.models import Link


def _link(code: str) -> Link:
    found = selectors.link_get(code=code)
    if found is None:
        raise Http404(_("Không tìm thấy liên kết / No such link"))
    return found


@require_safe
def link_list(request: AuthedRequest) -> HttpResponse:
    """R9.1: the links (retired ones apart), each with its keys and mappings."""
    links = list(selectors.link_list().prefetch_related("mappings"))
    context = {"active": [x for x in links if x.is_active], "retired": [x for x in links if not x.is_active]}
    return render(request, "federation/config/link_list.html", context)


def link_create(request: AuthedRequest) -> HttpResponse:
    """R9.1: register a parent, a child or the national endpoint."""
    form = LinkForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "is_active"}
        try:
            link = services.link_create(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đăng ký liên kết / Link registered"))
            return redirect("federation_config:link_keys", code=link.code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Đăng ký liên kết / New link")}
    return render(request, "federation/config/link_form.html", context, status=status)


def link_edit(request: AuthedRequest, code: str) -> HttpResponse:
    """R9.1: the address, agreed flows and indicators of a link, or its retirement."""
    link = _link(code)
    initial = {
        "name": link.name,
        "base_url": link.base_url,
        "flows": list(link.flows),
        "indicator_codes": ", ".join(link.indicator_codes),
        "is_active": link.is_active,
    }
    form = LinkForm(request.POST or None, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_update(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu liên kết / Link saved"))
            return redirect("federation_config:link_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "link": link, "title": link.name}
    return render(request, "federation/config/link_form.html", context, status=status)


def link_keys(request: AuthedRequest, code: str) -> HttpResponse:
    """R9.1, R7.2: set (or rotate) the link's key on a pending written request; a new secret is shown once."""
    link = _link(code)
    form = KeysForm(request.POST or None, requests=selectors.key_requests_pending())
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            link, secret = services.link_keys_set(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            given = bool(form.cleaned_data["secret"])
            secret = "" if given else secret  # the other center's secret is never shown back
            messages.success(request, _("Đã đặt khóa liên kết / The link's key is set"))
            form = KeysForm(requests=selectors.key_requests_pending())
    failed = request.method == "POST" and bool(form.errors)
    context = {"form": form, "link": link, "secret": secret}
    return render(request, "federation/config/link_keys.html", context, status=400 if failed else 200)


def mappings(request: AuthedRequest, code: str) -> HttpResponse:
    """R9.1 "Mapping": a link's code mappings, and a new one."""
    link = _link(code)
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_set(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ánh xạ / Mapping added"))
            return redirect("federation_config:mappings", code=code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "link": link, "mappings": list(selectors.mapping_list(link=link))}
    return render(request, "federation/config/mappings.html", context, status=status)


@require_POST
def mapping_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    link = _link(code)
    mapping = selectors.mapping_get(link=link, pk=pk)
    if mapping is None:
        raise Http404(_("Không tìm thấy ánh xạ / No such mapping"))
    services.mapping_remove(actor=request.user, mapping=mapping)
    messages.success(request, _("Đã xóa ánh xạ / Mapping removed"))
    return redirect("federation_config:mappings", code=code)
