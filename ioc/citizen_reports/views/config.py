"""Configuration pages of citizen reports (R3.2, R3.3): categories and routing rules, in the "Quản trị" section.

Thin: parse with `forms.config`, call `services.config`, render. Retiring a category is `is_active=False`
through `category_update`; removing a routing rule is `routing_rule_set(agency=None)`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.citizen_reports import selectors
from ioc.citizen_reports.forms.config import CategoryForm, RoutingRuleForm
from ioc.citizen_reports.models import Category
from ioc.citizen_reports.services import config as services
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors

_CATEGORY_FIELDS = list(CategoryForm.base_fields)


def _category(pk: int) -> Category:
    category = selectors.category_by_pk(pk=pk)
    if category is None:
        raise Http404(_("Không tìm thấy lĩnh vực / No such category"))
    return category


def category_list(request: AuthedRequest) -> HttpResponse:
    """R3.2: categories in use, then retired ones apart."""
    categories = list(selectors.category_list(active_only=False))
    context = {
        "active": [c for c in categories if c.is_active],
        "retired": [c for c in categories if not c.is_active],
        "tab": "categories",
    }
    return render(request, "citizen_reports/config/category_list.html", context)


def category_create(request: AuthedRequest) -> HttpResponse:
    """R3.2: a new category through `category_create`."""
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            category = services.category_create(actor=request.user, code=data["code"], **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm lĩnh vực / Category added"))
            return redirect("citizen_reports_config:category_edit", pk=category.pk)
    return _category_form(request, form, None)


def category_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R3.2: change a category through `category_update`; its routing rules are listed below."""
    category = _category(pk)
    initial = {name: getattr(category, name) for name in _CATEGORY_FIELDS if name != "code"}
    form = CategoryForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(category=category, actor=request.user, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu lĩnh vực / Category saved"))
            return redirect("citizen_reports_config:category_edit", pk=category.pk)
    return _category_form(request, form, category)


def _category_form(request: HttpRequest, form: CategoryForm, category: Category | None) -> HttpResponse:
    rules = list(selectors.routing_rule_list(category=category)) if category is not None else []
    context = {"form": form, "category": category, "rules": rules, "tab": "categories"}
    status = 400 if form.errors else 200
    return render(request, "citizen_reports/config/category_form.html", context, status=status)


@require_POST
def category_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    """R3.2: stop (or resume) using a category; reports already filed keep it."""
    category = _category(pk)
    active = request.POST.get("is_active") == "1"
    try:
        services.category_update(category=category, actor=request.user, is_active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        resumed = _("Đã dùng lại lĩnh vực / Category in use again")
        messages.success(request, resumed if active else _("Đã ngừng lĩnh vực / Category retired"))
    return redirect("citizen_reports_config:category_list")


def routing_rule_list(request: AuthedRequest) -> HttpResponse:
    """R3.3: every routing rule, and a form to set one (an existing rule of the same place is replaced)."""
    initial = {"category": request.GET["category"]} if request.GET.get("category", "").isdigit() else {}
    form = RoutingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.routing_rule_set(
                category=data["category"], unit=data["unit"], agency=data["agency"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc chuyển xử lý / Routing rule saved"))
            return redirect("citizen_reports_config:routing_rule_list")
    context = {"form": form, "rules": selectors.routing_rule_list(), "tab": "routing"}
    status = 400 if form.errors else 200
    return render(request, "citizen_reports/config/routing_rule_list.html", context, status=status)


@require_POST
def routing_rule_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    """R3.3: remove the rule of (category, commune) through `routing_rule_set(agency=None)`."""
    rule = selectors.routing_rule_get(pk=pk)
    if rule is None:
        raise Http404(_("Không tìm thấy quy tắc / No such rule"))
    services.routing_rule_set(category=rule.category, unit=rule.unit, agency=None, actor=request.user)
    messages.success(request, _("Đã xóa quy tắc chuyển xử lý / Routing rule removed"))
    return redirect("citizen_reports_config:routing_rule_list")
