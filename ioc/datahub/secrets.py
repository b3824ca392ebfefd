"""R1.2b, R8 (information security): the auth header value of a pull connector is stored encrypted (Fernet, key
derived by HKDF-SHA256 from `settings.FIELD_ENCRYPTION_KEY` for this one purpose) and never shown back; only the
worker that calls the endpoint opens it."""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"datahub-connector-auth:v1"


class SecretUnreadable(ValueError):
    """A stored secret that this deployment's key cannot open (the key changed, or the value was altered)."""


@functools.lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ioc.datahub", info=_PURPOSE).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str) -> str:
    """The stored form of `plain` ("" stays "": nothing to protect)."""
    return _fernet(str(settings.FIELD_ENCRYPTION_KEY)).encrypt(plain.encode()).decode() if plain else ""


def unseal(token: str) -> str:
    """The plain value of a stored secret; SecretUnreadable when it cannot be opened."""
    if not token:
        return ""
    try:
        return _fernet(str(settings.FIELD_ENCRYPTION_KEY)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("the connector secret cannot be decrypted with this key") from exc
