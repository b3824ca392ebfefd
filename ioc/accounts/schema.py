"""OpenAPI descriptions of the accounts' DRF authentication classes (imported by AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call,misc]
    """DESIGN "Tokens": `Authorization: Bearer ioc_<prefix>_<secret>`."""

    target_class = "ioc.accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "ioc_<prefix>_<secret>",
            "description": "Mã truy cập của hệ thống thông tin / An information system's token",
        }


class OtpSessionScheme(SessionScheme):  # type: ignore[no-untyped-call,misc]
    """The session cookie; a staff session must have passed the second factor (R7.4)."""

    target_class = "ioc.accounts.authentication.OtpSessionAuthentication"
