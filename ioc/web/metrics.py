"""Prometheus metrics (R10.1): request count and latency per route, exposed at /metrics.

With `PROMETHEUS_MULTIPROC_DIR` set (gunicorn with several workers), each process writes its own files and
the exposition merges them; `config/gunicorn.py` marks dead workers. Without it, the process registry is used.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

from ioc.common.middleware import client_address
from ioc.cybersecurity.metrics import CyberCollector
from ioc.federation.metrics import FederationCollector

REQUESTS = Counter(
    "ioc_http_requests_total",
    "HTTP requests answered, by method, route and status class",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "ioc_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def _route(request: HttpRequest) -> str:
    """The URL pattern's name (low cardinality), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


class MetricsMiddleware:
    """Counts and times every request except the scrape itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        if route != "web:metrics":
            status = f"{response.status_code // 100}xx"
            REQUESTS.labels(request.method or "", route, status).inc()
            LATENCY.labels(request.method or "", route).observe(time.perf_counter() - started)
        return response


def metrics_allowed(request: HttpRequest) -> bool:
    """An allow-listed address range (METRICS_ALLOWED_CIDRS) or `Authorization: Bearer <METRICS_TOKEN>`."""
    return _token_valid(request) or _address_allowed(client_address(request))


def _token_valid(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not expected or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), expected.encode())


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for cidr in settings.METRICS_ALLOWED_CIDRS:
        try:
            if ip in ipaddress.ip_network(cidr, strict=False):
                return True
        except ValueError:
            continue
    return False


def _database_gauges() -> bytes:
    """Gauges read from the database at scrape time (federation's lag and backlog per link, R9.3; refused security
    events per reason, R5.6)."""
    registry = CollectorRegistry()
    registry.register(FederationCollector())
    registry.register(CyberCollector())
    return generate_latest(registry)


def exposition() -> tuple[bytes, str]:
    """The text format; merged across processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry) + _database_gauges(), CONTENT_TYPE_LATEST
    return generate_latest() + _database_gauges(), CONTENT_TYPE_LATEST
