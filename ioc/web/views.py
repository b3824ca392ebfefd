"""Shell views: thin, they parse, call a selector and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Readiness (database, worker, outbox) is /readyz."""
    return JsonResponse({"status": "ok"})
