"""The citizens' lookup (R5.3, act 004:6.4 "tra cứu kết quả xử lý hồ sơ"): a dossier code plus the phone or ID
number given at receipt, compared through the blind index only. One answer for "no such code" and "wrong
number"; counted per address and per code (`ioc.common.ratelimit`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled

from ioc.common.middleware import client_address
from ioc.common.ratelimit import RateDecision, address_identity, rate_limit_hits, rate_limit_rule

LOOKUP_NOT_FOUND = _("Không tìm thấy hồ sơ với mã và số đã nhập / No dossier matches this code and number")


def lookup_rate_hit(*, request: HttpRequest, code: str) -> RateDecision:
    """Count one lookup of `code` from the request's address."""
    identity = address_identity(client_address(request))
    return rate_limit_hits(
        [
            rate_limit_rule("dossiers.lookup.addr", identity=identity),
            rate_limit_rule("dossiers.lookup.code", identity=code.strip().upper()[:60]),
        ]
    )


def lookup_rate_check(*, request: Any, code: str) -> None:
    """Throttled (429 with Retry-After) past either limit."""
    decision = lookup_rate_hit(request=request, code=code)
    if not decision.allowed:
        raise Throttled(
            wait=decision.retry_after, detail=str(_("Tra cứu quá nhiều lần, thử lại sau / Too many lookups, try later"))
        )
