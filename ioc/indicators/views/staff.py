"""Pages of the indicators under /chi-so/ (R2.3–R2.6): the leaders' sector dashboard, an indicator's page, and an
agency's "what I owe" page with the value form and the data calls. Thin: parse, call selectors or one service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.geo import selectors as geo_selectors
from ioc.indicators import selectors, services
from ioc.indicators.forms.staff import CallForm, ValueForm
from ioc.indicators.models import Indicator

if TYPE_CHECKING:
    from ioc.geo.models import AdminUnit
from ioc.indicators.services._base import CALL_ROLES, reportable_ids

_FIELDS = {"dataElement": "indicator", "orgUnit": "unit", "dataValues": None}


def _boundaries_url() -> str:
    try:
        return reverse("geo_api:territory-boundaries")
    except NoReverseMatch:
        return ""


def _chart(
    indicator: Indicator, forecast: selectors.ForecastView | None, unit: AdminUnit | None = None
) -> dict[str, Any]:
    periods, values = selectors.series(indicator=indicator, unit=unit)
    data: dict[str, Any] = {"periods": periods, "values": values, "unit": indicator.unit_label}
    if forecast is not None:
        data["forecast"] = {
            "periods": forecast.periods, "point": forecast.point, "lo80": forecast.lo80, "hi80": forecast.hi80,
            "lo95": forecast.lo95, "hi95": forecast.hi95,
        }  # fmt: skip
    return data


def _map(indicator: Indicator) -> dict[str, Any]:
    """The choropleth's data: the communes' values and, when the indicator has colour bands, each commune's band
    colour and the bands for the legend (the script falls back to quintiles only without bands)."""
    period, figures = selectors.commune_figures(indicator=indicator)
    return {
        "period": period,
        "values": {f.code: f.value for f in figures},
        "unit": indicator.unit_label,
        "bands": indicator.bands or [],
        "colours": {f.code: f.band["colour"] for f in figures if f.band},
    }


def index(request: AuthedRequest) -> HttpResponse:
    """R2.3, R2.4: a sector's cards, the chosen indicator's trend with its forecast band, the commune map, and the
    warning list."""
    sectors = selectors.sectors()
    codes = [code for code, _label in sectors]
    sector = request.GET.get("sector", "")
    sector = sector if sector in codes else (codes[0] if codes else "")
    cards = selectors.dashboard_cards(sector=sector) if sector else []
    chosen = next((c.indicator for c in cards if c.indicator.code == request.GET.get("indicator")), None)
    chosen = chosen or next((c.indicator for c in cards if c.value is not None), None)
    forecast = selectors.indicator_forecast(indicator=chosen) if chosen else None
    context = {
        "sectors": sectors,
        "sector": sector,
        "sector_label": selectors.sector_label(sector) if sector else "",
        "cards": cards,
        "chosen": chosen,
        "chart": _chart(chosen, forecast) if chosen else None,
        "map": _map(chosen) if chosen else None,
        "forecast": forecast,
        "boundaries_url": _boundaries_url(),
        "warnings": selectors.warning_list(user=request.user, sector=sector, limit=20),
        "method_labels": selectors.METHOD_LABELS,
    }
    return render(request, "indicators/index.html", context)


def detail(request: AuthedRequest, code: str) -> HttpResponse:
    """R2.1, R2.2, R2.4: an indicator's definition, citation, versions, history with each value's lineage, forecast
    and commune ranking; `?unit=<commune code>` charts that commune's series with its forecast (computed on demand,
    cached) and lists its values' lineage."""
    indicator = selectors.indicator_get(code=code)
    if indicator is None:
        raise Http404
    unit = selectors.indicator_unit(indicator=indicator, code=request.GET.get("unit", ""))
    period, figures = selectors.commune_figures(indicator=indicator)
    forecast = selectors.indicator_forecast(indicator=indicator, unit=unit)
    context = {
        "indicator": indicator,
        "sector_label": selectors.sector_label(indicator.sector),
        "lineage": selectors.lineage(indicator=indicator, unit=unit),
        "unit": unit,
        "chart": _chart(indicator, forecast, unit),
        "forecast": forecast,
        "method_labels": selectors.METHOD_LABELS,
        "changes": selectors.changes(indicator=indicator),
        "revisions": selectors.revisions(indicator=indicator),
        "figures_period": period,
        "figures": figures[:50],
    }
    return render(request, "indicators/detail.html", context)


def _value_form(request: AuthedRequest, data: Any = None) -> ValueForm:
    manual = list(selectors.indicator_list().filter(source="manual"))
    allowed = reportable_ids(request.user, manual)
    reportable = [i for i in manual if i.pk in allowed]
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    units = (
        []
        if territory is None
        else list(geo_selectors.territory_communes(territory=territory).values_list("code", "name"))
    )
    return ValueForm(data, indicators=reportable, units=units)


def owed(request: AuthedRequest) -> HttpResponse:
    """R2.3, R2.6: what the user's agency owes (open calls, its indicators' last periods) and the value form;
    the IOC also asks agencies for data here."""
    value_form = _value_form(request)
    call_form = CallForm()
    return _owed(request, value_form, call_form)


def _owed(request: AuthedRequest, value_form: ValueForm, call_form: CallForm, status: int = 200) -> HttpResponse:
    context = {
        "calls": selectors.calls_for(user=request.user),
        "owed": selectors.owed_indicators(user=request.user),
        "value_form": value_form,
        "call_form": call_form,
        "may_call": request.user.has_role(*CALL_ROLES),
    }
    return render(request, "indicators/owed.html", context, status=status)


@require_POST
def value_submit(request: AuthedRequest) -> HttpResponse:
    """R2.3: one value from the form, checked like an import row; a conflict is shown on its field."""
    form = _value_form(request, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        row = {"indicator": d["indicator"], "period": d["period"].strip(), "unit": d["unit"], "value": d["value"]}
        summary = services.values_import(actor=request.user, rows=[row])  # type: ignore[list-item]
        if summary["status"] == "accepted":
            messages.success(request, _("Đã ghi giá trị chỉ số."))
            return redirect("indicators:owed")
        errors: dict[str, list[str]] = {}
        for c in summary["conflicts"]:
            errors.setdefault(c["field"], []).append(c["reason"])
        add_service_errors(form, ValidationError(errors), fields=_FIELDS)
    return _owed(request, form, CallForm(), status=400)


@require_POST
def call_create(request: AuthedRequest) -> HttpResponse:
    """R2.6: the IOC asks the indicator's agency for values of a period, due at a moment or after some working days
    of the agency's calendar."""
    form = CallForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.data_call_create(
                actor=request.user, indicator=d["indicator"], agency=d["indicator"].agency, period=d["period"],
                deadline_at=d["deadline_at"], working_days=d["working_days"], kind=d["kind"], note=d["note"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu báo cáo số liệu."))
            return redirect("indicators:owed")
    return _owed(request, _value_form(request), form, status=400)
