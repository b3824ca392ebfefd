"""Agency pages (R1.1, R7.1): the staff's list with act roles, citations and systems, and the "Quản trị" section's
configuration pages (`config_*`): create, edit, retire, act roles with the article each cites. Thin: parse with
`forms`, call `services`, render; retiring an agency is `is_active=False` through `agency_update`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.agencies import selectors, services
from ioc.agencies.choices import ActRole, Sensitivity
from ioc.agencies.forms import ActRoleForm, AgencyForm
from ioc.agencies.models import Agency
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors

PAGE_SIZE = 50


def agency_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    if role not in ActRole.values:
        role = ""
    page = Paginator(selectors.agency_list(search=search, role=role), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/agency_list.html",
        {"page": page, "search": search, "role": role, "roles": ActRole.choices},
    )


# --- configuration pages (issue 8) -----------------------------------------------------------------------------


def _agency(pk: int) -> Agency:
    agency = selectors.agency_by_id(agency_id=pk)
    if agency is None:
        raise Http404(_("Không tìm thấy cơ quan / No such agency"))
    return agency


def config_list(request: AuthedRequest) -> HttpResponse:
    """R1.1, R7.1: agencies in operation with their act roles, then retired ones apart."""
    agencies = list(selectors.agency_list(include_inactive=True))
    context = {"active": [a for a in agencies if a.is_active], "retired": [a for a in agencies if not a.is_active]}
    return render(request, "agencies/config/list.html", context)


def config_create(request: AuthedRequest) -> HttpResponse:
    """R1.1, R7.1: a new agency, with its first act role and the article it cites, all or nothing."""
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                agency = services.agency_create(actor=request.user, code=data["code"], **form.fields_of_agency())
                if data["role"]:
                    services.agency_act_role_add(
                        actor=request.user, agency=agency, role=data["role"], source=data["source"]
                    )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ quan / Agency added"))
            return redirect("agencies:config_edit", pk=agency.pk)
    return _form_page(request, form, None, ActRoleForm())


def config_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.1: change an agency's name, kind, parent, unit, contact or 24/7 flag."""
    agency = _agency(pk)
    form = AgencyForm(request.POST or None, initial=_initial(agency), agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.fields_of_agency())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cơ quan / Agency saved"))
            return redirect("agencies:config_edit", pk=agency.pk)
    return _form_page(request, form, agency, ActRoleForm())


def _form_page(
    request: HttpRequest, form: AgencyForm, agency: Agency | None, role_form: ActRoleForm, status: int = 200
) -> HttpResponse:
    roles = list(agency.act_roles.order_by("role")) if agency is not None else []
    context = {"form": form, "agency": agency, "act_roles": roles, "role_form": role_form}
    status = 400 if form.errors or role_form.errors else status
    return render(request, "agencies/config/form.html", context, status=status)


@require_POST
def config_role_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """R7.1: a role the act gives the agency, citing its article."""
    agency = _agency(pk)
    role_form = ActRoleForm(request.POST)
    if role_form.is_valid():
        data = role_form.cleaned_data
        try:
            services.agency_act_role_add(actor=request.user, agency=agency, role=data["role"], source=data["source"])
        except ValidationError as exc:
            add_service_errors(role_form, exc)
        else:
            messages.success(request, _("Đã thêm vai trò / Role added"))
            return redirect("agencies:config_edit", pk=agency.pk)
    return _form_page(request, AgencyForm(agency=agency, initial=_initial(agency)), agency, role_form)


def _initial(agency: Agency) -> dict[str, object]:
    initial = {name: getattr(agency, name) for name in AgencyForm.base_fields if hasattr(agency, name)}
    initial["unit"] = agency.unit.code if agency.unit else ""
    initial["default_sensitivity"] = agency.default_sensitivity or Sensitivity.PUBLIC  # blank means public
    return initial


@require_POST
def config_role_remove(request: AuthedRequest, pk: int, role: str) -> HttpResponse:
    """R7.1: withdraw a role (a new act, or a wrong citation)."""
    agency = _agency(pk)
    if role not in ActRole.values:
        raise Http404(_("Không có vai trò này / No such role"))
    try:
        services.agency_act_role_remove(actor=request.user, agency=agency, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã bỏ vai trò / Role withdrawn"))
    return redirect("agencies:config_edit", pk=agency.pk)


@require_POST
def config_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    """R1.1: an agency stops (or resumes) operating; its history stays."""
    agency = _agency(pk)
    active = request.POST.get("is_active") == "1"
    try:
        services.agency_update(actor=request.user, agency=agency, is_active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        resumed = _("Cơ quan hoạt động trở lại / Agency in operation again")
        messages.success(request, resumed if active else _("Đã ngừng cơ quan / Agency retired"))
    return redirect("agencies:config_list")
