"""DRF side of the access-policy registry (ioc.common.access)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ioc.common.access import policy_of


class PolicyPermission(BasePermission):
    """DRF side of the registry: reads the policy declared on the matched URL pattern."""

    message = "Không có quyền / Forbidden"

    def has_permission(self, request: Request, view: Any) -> bool:
        match = request.resolver_match
        policy = policy_of(match.func) if match else None
        if policy is None:
            return False
        scopes = getattr(request.auth, "scopes", ()) if request.auth is not None else ()
        return policy.allows(request.user, scopes)
