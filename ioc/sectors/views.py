"""R5.4 (issue 20 part 5): the sector dashboards — a list of the act's monitored domains and one page each, with
filters by period and unit, and the tables as XLSX. Thin: parse the form, call the selectors, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ioc.common.authed import AuthedRequest
from ioc.geo import selectors as geo_selectors
from ioc.geo.models import AdminUnit
from ioc.sectors import exports, selectors
from ioc.sectors.forms import DashboardFilterForm


def index(request: AuthedRequest) -> HttpResponse:
    """R5.4: the domains of the act that have indicators or a monitor of their own."""
    return render(request, "sectors/index.html", {"domains": selectors.domain_list()})


def _units() -> dict[str, AdminUnit]:
    territory = geo_selectors.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return {}
    return {u.code: u for u in geo_selectors.territory_communes(territory=territory)}


def _board(request: AuthedRequest, code: str) -> tuple[DashboardFilterForm, selectors.Dashboard | None]:
    domain = selectors.domain_get(code=code)
    if domain is None:
        raise Http404(_("Không có lĩnh vực này trong quy chế."))
    units = _units()
    form = DashboardFilterForm(request.GET, units=[(c, u.name) for c, u in units.items()])
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    unit = units.get(data.get("unit") or "")
    board = selectors.domain_dashboard(
        user=request.user, domain=domain, start=data["start"], end=data["end"], unit=unit
    )
    return form, board


def domain(request: AuthedRequest, code: str) -> HttpResponse:
    """R5.4: one domain's trends with forecast bands, commune ranking, breakdowns and warnings; a bad filter
    answers 400 with the form's errors."""
    form, board = _board(request, code)
    context = {
        "form": form,
        "board": board,
        "domain": selectors.domain_get(code=code),
        "query": request.GET.urlencode(),
    }
    return render(request, "sectors/domain.html", context, status=400 if board is None else 200)


def export_xlsx(request: AuthedRequest, code: str) -> HttpResponse:
    """R5.4: the dashboard's tables as XLSX, for the same filters; a bad filter answers 400 naming the field."""
    form, board = _board(request, code)
    if board is None:
        errors = "; ".join(f"{name}: {' '.join(str(m) for m in messages)}" for name, messages in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        exports.dashboard_xlsx(board),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"linh-vuc-{board.domain.code}-{board.start:%Y%m%d}-{board.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
