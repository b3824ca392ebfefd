"""The map pages (R6.1, R6.2): the staff map with its layers, choropleth and selection at /ban-do/, and the public
map of published reports and public sensors at /ban-do/cong-khai/. Thin: the page carries the API URLs; the
browser (static/maps/map-page.js over web/territory-map.js) draws."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, resolve, reverse

from ioc.common.access import policy_of
from ioc.common.authed import AuthedRequest
from ioc.geo import selectors as geo
from ioc.maps import selectors


def _base_map() -> dict[str, Any]:
    """Where the communes come from, and the territory's box: the map fits it at once and asks for its layers while
    the communes' shapes are on their way (issue 20, as the wall screen does: `geo.territory_bounds_text`)."""
    territory = geo.territory_get(profile=settings.IOC_PROFILE)
    if territory is None:
        return {"boundaries_url": "", "bounds": "", "tile_url": settings.IOC_MAP_TILE_URL}
    return {
        "boundaries_url": reverse("geo_api:territory-boundaries"),
        "bounds": geo.territory_bounds_text(profile=settings.IOC_PROFILE),
        "tile_url": settings.IOC_MAP_TILE_URL,
    }


def _layers(registry: dict[str, selectors.Layer], url_name: str) -> list[dict[str, str]]:
    return [
        {"code": code, "label": str(layer.label), "url": reverse(url_name, args=[code])}
        for code, layer in registry.items()
    ]


def _report_url(user: Any) -> str:
    """Issue 17: where "Lập báo cáo cho vùng này" posts the selection — the reports' form, when the user's roles
    may open it (its own policy decides: the map sits below reporting and names it only by URL)."""
    try:
        url = reverse("reporting:generate")
    except NoReverseMatch:
        return ""
    policy = policy_of(resolve(url).func)
    return url if policy is not None and policy.allows(user) else ""


def index(request: AuthedRequest) -> HttpResponse:
    """R6.1, R6.2: the digital map: layers on and off, an indicator's choropleth, selection by unit, radius or
    polygon with the figures of every domain in the user's scope."""
    context = {
        "map": _base_map(),
        "layers": _layers(selectors.LAYERS, "maps_api:layer"),
        "indicators": selectors.choropleth_indicators(),
        "selection_url": reverse("maps_api:selection"),
        "choropleth_url": reverse("maps_api:choropleth"),
        "report_url": _report_url(request.user),
        "max_radius_m": int(selectors.max_radius_m()),
        "public": False,
    }
    return render(request, "maps/index.html", context)


def public(request: HttpRequest) -> HttpResponse:
    """R6.1 part 6: the public map — published reports and public sensors, no personal data."""
    context = {"map": _base_map(), "layers": _layers(selectors.PUBLIC_LAYERS, "maps_api:public-layer"), "public": True}
    return render(request, "maps/public.html", context)
