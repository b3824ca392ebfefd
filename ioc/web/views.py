"""Shell views: thin, they parse, call a selector and render (R7.1 home per role, R10.1 health)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from ioc.accounts.choices import Role
from ioc.common.access import AUTHENTICATED
from ioc.web import administration, health, home_panels, metrics, overview, public_sections
from ioc.web.navigation import area_by_slug


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    """R7.1: one home page per role; a display screen goes to its big-screen overview. An anonymous visitor
    gets the public portal (issue 8): the URL is PUBLIC and this view decides what a signed-in user sees."""
    if not AUTHENTICATED.allows(request.user):
        return public_home(request)
    roles = frozenset(getattr(request.user, "role_codes", ()))
    if roles == {Role.DISPLAY_SCREEN}:
        return redirect("web:display")
    panels = home_panels.panels_for(user=request.user, roles=roles)
    needs_map = any(panel.context.get("map") for panel in panels)
    return render(request, "web/home.html", {"panels": panels, "needs_map": needs_map})


def area(request: HttpRequest, slug: str) -> HttpResponse:
    """A domain area that is not built yet says so plainly."""
    found = area_by_slug(slug)
    if found is None:
        raise Http404(_("Không tìm thấy / Not found"))
    return render(request, "web/area_unavailable.html", {"area": found})


def administration_hub(request: HttpRequest) -> HttpResponse:
    """Issue 8: the "Quản trị" hub listing the configuration pages the user's roles open."""
    roles = frozenset(getattr(request.user, "role_codes", ()))
    return render(request, "web/administration.html", {"sections": administration.sections_for(roles=roles)})


@require_safe
def public_home(request: HttpRequest) -> HttpResponse:
    """The public portal (issue 8, R3.1, R3.4): send a report, follow one by its code, what the center
    publishes (`public_sections`), and the staff sign-in link. At `/` for anyone not signed in, and at
    `/cong-dan/` for everyone (the link a signed-in account follows to see it)."""
    return render(request, "web/public_home.html", {"sections": public_sections.public_sections()})


@never_cache
def display(request: HttpRequest) -> HttpResponse:
    """R7.4, issue 20: the read-only overview of a wall screen: the map in the middle, live panels around it that
    `display.js` swaps (htmx) when `display_version` says they changed."""
    try:
        poll = overview.poll_seconds(request.GET)
    except ValueError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    figures, panels = overview.overview_cached(user=request.user)
    frame = home_panels.display_overview(user=request.user)
    codes = [layer["code"] for layer in frame["layers"]]
    version, layers = home_panels.screen_version(user=request.user, panels=panels, layers=codes)
    context = {
        "overview": frame,
        "figures": figures,
        "version": version,
        "panels_version": panels,
        "layer_versions": json.dumps(layers, sort_keys=True),
        "poll": poll,
    }
    return render(request, "web/display.html", context)


@never_cache
@require_GET
def display_panels(request: HttpRequest) -> HttpResponse:
    """The overview's panels alone (an HTML fragment for htmx), with the version they show in `X-IOC-Version`."""
    figures, version = overview.overview_cached(user=request.user)
    response = render(request, "web/includes/display_panels.html", {"figures": figures, "version": version})
    response["X-IOC-Version"] = version
    return response


@never_cache
@require_GET
def display_data(request: HttpRequest) -> JsonResponse:
    """The overview's figures as JSON (the same data the panels show), with their version."""
    figures, version = overview.overview_cached(user=request.user)
    return JsonResponse({"version": version, "figures": figures})


@require_GET
def display_version(request: HttpRequest) -> HttpResponse:
    """A cheap version of what the display shows: 304 when the screen's `If-None-Match` is still current; else
    the version of the whole screen, of its panels and of each point layer (issue 20: the screen swaps the panels
    and reloads only the layers that moved)."""
    _figures, panels = overview.overview_cached(user=request.user)
    version, layers = home_panels.screen_version(user=request.user, panels=panels)
    etag = f'"{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse({"version": version, "panels": panels, "layers": layers})
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, worker, outbox) is /readyz."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """R10.1: 200 with every check, or 503 naming the failing checks."""
    checks = health.readiness()
    failing = [check.name for check in checks if not check.ok]
    body = {
        "status": "ok" if not failing else "fail",
        "failing": failing,
        "checks": {check.name: check.as_dict() for check in checks},
    }
    return JsonResponse(body, status=503 if failing else 200)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition for an allow-listed address range or the metrics token; 403 otherwise."""
    if not metrics.metrics_allowed(request):
        return HttpResponse(_("Không có quyền / Forbidden"), status=403, content_type="text/plain; charset=utf-8")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
