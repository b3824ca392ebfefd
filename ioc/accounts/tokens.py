"""Token format and hashing (DESIGN "Tokens"): `ioc_<prefix>_<secret>`, stored as prefix + HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_PREFIX = "ioc_"
PREFIX_LENGTH = 10


def token_digest(secret_part: str) -> str:
    return hmac.new(settings.TOKEN_HMAC_KEY.encode(), secret_part.encode(), hashlib.sha256).hexdigest()


def token_generate() -> tuple[str, str, str]:
    """A new token: (full value shown once, prefix stored in clear, digest stored)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret_part = secrets.token_urlsafe(32)
    return f"{TOKEN_PREFIX}{prefix}_{secret_part}", prefix, token_digest(secret_part)


def token_split(value: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    if not value.startswith(TOKEN_PREFIX):
        return None
    rest = value[len(TOKEN_PREFIX) :]
    prefix, sep, secret_part = rest.partition("_")
    if not sep or len(prefix) != PREFIX_LENGTH or len(secret_part) < 20:
        return None
    return prefix, secret_part
