"""Configuration pages of the indicators (R2.2, R2.3, R2.6), in the "Quản trị" section: approve a catalogue
version that adds, changes or retires indicators (`catalog_version_approve`), set targets (`target_set`), cancel
a data call (`data_call_cancel`), create, pause, resume and end a recurring call rule (`call_rule_*`). Thin: parse
with `forms.config`, call one service, render; a refusal is shown on the field it names and the page answers 400
having written nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.geo import selectors as geo_selectors
from ioc.indicators import selectors, services
from ioc.indicators.forms.config import (
    TERRITORY,
    CallRuleForm,
    CancelCallForm,
    DecisionForm,
    IndicatorForm,
    RetireForm,
    RuleActionForm,
    TargetForm,
    indicator_initial,
)
from ioc.indicators.models import Indicator
from ioc.indicators.services import IndicatorSpec, spec_problems


def index(request: AuthedRequest) -> HttpResponse:
    """R2.1, R2.2: the approved versions and the catalogue (retired indicators apart)."""
    indicators = list(selectors.indicator_list(include_retired=True))
    context = {
        "versions": selectors.catalog_versions(),
        "active": [i for i in indicators if i.is_active],
        "retired": [i for i in indicators if not i.is_active],
        "tab": "catalog",
    }
    return render(request, "indicators/config/index.html", context)


def _spec_errors(form: DecisionForm, exc: ValidationError, spec: IndicatorSpec, *, adding: bool) -> None:
    """The service's refusal on the form: the definition's problems on their own fields, the rest by name."""
    found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    add_service_errors(form, ValidationError({k: v for k, v in found.items() if k not in ("add", "change")}))
    if "add" in found or "change" in found:
        problems = spec_problems(spec, adding=adding)
        for name, reasons in problems.items():
            form.add_error(name if name in form.fields else None, reasons)
        if not problems:
            form.add_error(None, found.get("add", []) + found.get("change", []))


def _indicator_form(request: AuthedRequest, form: IndicatorForm, indicator: Indicator | None) -> HttpResponse:
    context = {"form": form, "indicator": indicator, "tab": "catalog"}
    return render(request, "indicators/config/indicator_form.html", context, status=400 if form.errors else 200)


def _approve(request: AuthedRequest, form: IndicatorForm, *, adding: bool) -> bool:
    spec = form.spec()
    try:
        services.catalog_version_approve(
            actor=request.user, add=[spec] if adding else [], change=[] if adding else [spec], **form.decision()
        )
    except ValidationError as exc:
        _spec_errors(form, exc, spec, adding=adding)
        return False
    messages.success(request, _("Đã phê duyệt phiên bản mới của bộ chỉ số."))
    return True


def indicator_add(request: AuthedRequest) -> HttpResponse:
    """R2.1, R2.2: a new indicator, approved by a decision (a new version)."""
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _approve(request, form, adding=True):
        return redirect("indicators:config_index")
    return _indicator_form(request, form, None)


def indicator_change(request: AuthedRequest, code: str) -> HttpResponse:
    """R2.2: change an active indicator's definition by a decision (a new version; values keep theirs)."""
    indicator = selectors.indicator_get(code=code)
    if indicator is None or not indicator.is_active:
        raise Http404(_("Không có chỉ số đang áp dụng với mã này"))
    form = IndicatorForm(request.POST or None, initial=indicator_initial(indicator), editing=True)
    if request.method == "POST" and form.is_valid() and _approve(request, form, adding=False):
        return redirect("indicators:config_index")
    return _indicator_form(request, form, indicator)


def indicator_retire(request: AuthedRequest) -> HttpResponse:
    """R2.2: retire indicators by a decision (their values and history stay readable)."""
    form = RetireForm(request.POST or None, indicators=list(selectors.indicator_list()))
    if request.method == "POST" and form.is_valid():
        try:
            services.catalog_version_approve(actor=request.user, retire=form.cleaned_data["retire"], **form.decision())
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"formula": "retire", "add": "retire"})
        else:
            messages.success(request, _("Đã phê duyệt phiên bản mới của bộ chỉ số."))
            return redirect("indicators:config_index")
    context = {"form": form, "tab": "catalog"}
    return render(request, "indicators/config/retire_form.html", context, status=400 if form.errors else 200)


def _units() -> list[tuple[str, str]]:
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return []
    return list(geo_selectors.territory_communes(territory=territory).values_list("code", "name"))


def _unit_id(code: str) -> int | None:
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if code == TERRITORY or territory is None:
        return None
    return geo_selectors.territory_communes(territory=territory).filter(code=code).values_list("pk", flat=True).first()


def targets(request: AuthedRequest) -> HttpResponse:
    """R2.3: set a plan target (annual or per period) for the territory or a commune; the latest targets."""
    form = TargetForm(request.POST or None, units=_units())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.target_set(
                actor=request.user, indicator=d["indicator"], unit_id=_unit_id(d["unit"]), period=d["period"].strip(),
                value=d["value"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đặt chỉ tiêu."))
            return redirect("indicators:config_targets")
    context: dict[str, Any] = {"form": form, "targets": selectors.target_list(), "tab": "targets"}
    return render(request, "indicators/config/targets.html", context, status=400 if form.errors else 200)


def calls(request: AuthedRequest) -> HttpResponse:
    """R2.6: the open data calls, each with its cancel form."""
    return _calls(request, None, None)


def _calls(request: AuthedRequest, failed: int | None, form: CancelCallForm | None) -> HttpResponse:
    context = {"calls": selectors.calls_for(user=request.user), "failed": failed, "form": form, "tab": "calls"}
    return render(request, "indicators/config/calls.html", context, status=400 if failed else 200)


@require_POST
def call_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    """R2.6: cancel an open data call, with the reason."""
    call = selectors.call_get(user=request.user, pk=pk)
    if call is None:
        raise Http404(_("Không có yêu cầu báo cáo này"))
    form = CancelCallForm(request.POST)
    if form.is_valid():
        try:
            services.data_call_cancel(actor=request.user, call=call, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"status": None})
        else:
            messages.success(request, _("Đã hủy yêu cầu báo cáo số liệu."))
            return redirect("indicators:config_calls")
    return _calls(request, call.pk, form)


def call_rules(request: AuthedRequest) -> HttpResponse:
    """R2.6: the recurring call rules (live first) and the form that creates one (`call_rule_create`)."""
    form = CallRuleForm(request.POST or None, agencies=selectors.rule_agencies(user=request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rule = services.call_rule_create(
                actor=request.user, indicator=d["indicator"], agency=d["agency"], period_type=d["period_type"],
                working_days=d["working_days"], open_after_days=d["open_after_days"], first_period=d["first_period"],
                note=d["note"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã đặt yêu cầu báo cáo định kỳ."))
            return redirect(f"{reverse('indicators:config_rules')}#rule-{rule.pk}")
    return _rules(request, form, None, None)


def _rules(
    request: AuthedRequest, form: CallRuleForm, failed: int | None, action_form: RuleActionForm | None
) -> HttpResponse:
    context = {
        "form": form, "rules": selectors.call_rules_for(user=request.user), "failed": failed,
        "action_form": action_form, "tab": "rules",
    }  # fmt: skip
    status = 400 if form.errors or failed else 200
    return render(request, "indicators/config/rules.html", context, status=status)


_RULE_ACTIONS = {
    "tam-dung": (services.call_rule_pause, gettext_lazy("Đã tạm dừng yêu cầu định kỳ.")),
    "tiep-tuc": (services.call_rule_resume, gettext_lazy("Đã cho yêu cầu định kỳ áp dụng lại.")),
    "ket-thuc": (services.call_rule_end, gettext_lazy("Đã kết thúc yêu cầu định kỳ.")),
}


@require_POST
def call_rule_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """R2.6: pause, resume or end a recurring call rule, with an optional reason."""
    rule = selectors.call_rule_get(user=request.user, pk=pk)
    if rule is None or action not in _RULE_ACTIONS:
        raise Http404(_("Không có yêu cầu định kỳ này"))
    service, done = _RULE_ACTIONS[action]
    form = RuleActionForm(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, rule=rule, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"status": None})
        else:
            messages.success(request, done)
            return redirect("indicators:config_rules")
    blank = CallRuleForm(agencies=selectors.rule_agencies(user=request.user))
    return _rules(request, blank, rule.pk, form)


@require_POST
def indicator_sync(request: AuthedRequest, code: str) -> HttpResponse:
    """R2.1: fill a dataset-fed or sensor-fed indicator from its source now (every cell of the dataset)."""
    indicator = selectors.indicator_get(code=code)
    if indicator is None or not indicator.is_active:
        raise Http404(_("Không có chỉ số đang áp dụng với mã này"))
    result = services.indicator_sync_now(actor=request.user, indicator=indicator)
    text = _("Đã đồng bộ %(code)s: %(stored)s giá trị, bỏ qua %(skipped)s.")
    messages.success(request, text % {"code": code, "stored": result.stored, "skipped": result.skipped})
    for reason in result.reasons:
        messages.warning(request, reason)
    return redirect("indicators:config_index")
