"""R5.7, information security: a social platform's API key is stored sealed (Fernet, key derived by HKDF-SHA256 from
`settings.FIELD_ENCRYPTION_KEY` for this one purpose) and never shown back; only the collector opens it."""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(ValueError):
    """A stored key that this deployment's key cannot open."""


@functools.lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ioc.media_watch", info=b"platform-key:v1")
    return Fernet(base64.urlsafe_b64encode(derived.derive(secret.encode())))


def seal(plain: str) -> str:
    return _fernet(str(settings.FIELD_ENCRYPTION_KEY)).encrypt(plain.encode()).decode() if plain else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(str(settings.FIELD_ENCRYPTION_KEY)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("the platform key cannot be decrypted with this key") from exc
