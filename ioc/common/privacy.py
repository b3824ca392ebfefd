"""Personal-data helpers shared by every app that holds citizens' contacts (R7.5; DESIGN "Personal data helpers").

`blind_index`: HMAC-SHA256 (an HKDF-derived key from `settings.FIELD_ENCRYPTION_KEY`) of a phone number, e-mail
address or ID number, normalised first, so equal values can be looked up without storing them in the clear
(citizen reports' duplicate suggestions, R3; a dossier's lookup by the phone or ID given at receipt, R5.3).
`encrypt` / `decrypt`: AES-256-GCM with a random 96-bit nonce under a key derived (HKDF-SHA256) from the same
secret; stored form ``v1:<base64url(nonce+ct)>``. Reporters' contacts (R7.5) and the center's staff (R10.4) use it.
The derivations are unchanged from `citizen_reports.privacy`, which re-exports these names: stored indexes and
ciphertexts stay valid.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["DecryptionError", "blind_index", "decrypt", "derived_key", "encrypt", "normalize_email", "normalize_phone"]

_VERSION = "v1"
_NONCE_BYTES = 12
_FIELD_PURPOSE = b"field-encryption:v1"


@functools.lru_cache(maxsize=8)
def _derive(secret: str, purpose: bytes) -> bytes:
    # The salt keeps its historical value: indexes stored before the move must still match.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ioc.citizen_reports", info=purpose)
    return hkdf.derive(secret.encode("utf-8"))


def derived_key(purpose: bytes) -> bytes:
    """A 32-byte key for one purpose, derived from `settings.FIELD_ENCRYPTION_KEY`."""
    return _derive(str(settings.FIELD_ENCRYPTION_KEY), purpose)


def normalize_phone(value: str) -> str:
    """Digits only, the national form: "+84 912.345.678" and "0912 345 678" → "0912345678"."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0084"):
        digits = digits[4:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    if digits and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def _normalize(value: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if "@" in text:
        return "email:" + normalize_email(text)
    return "phone:" + normalize_phone(text)


def blind_index(value: str) -> str:
    """R7.5: a keyed digest of a phone, e-mail or ID number (normalised first), "" for an empty value."""
    normalized = _normalize(value)
    if not normalized:
        return ""
    return hmac.new(derived_key(b"blind-index:v1"), normalized.encode("utf-8"), hashlib.sha256).hexdigest()


class DecryptionError(ValueError):
    """A stored value that is malformed or was encrypted with another key."""


def encrypt(text: str) -> str:
    """R7.5: the ciphertext of `text` (an empty string stays empty: nothing to protect)."""
    if not text:
        return ""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(derived_key(_FIELD_PURPOSE)).encrypt(nonce, text.encode("utf-8"), _VERSION.encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def decrypt(token: str) -> str:
    """R7.5: the plain text of a value made by `encrypt`; DecryptionError when malformed or tampered with."""
    if not token:
        return ""
    version, _sep, payload = token.partition(":")
    if version != _VERSION or not payload:
        raise DecryptionError("not an encrypted field value")
    try:
        raw = base64.urlsafe_b64decode(payload.encode("ascii"))
        key = derived_key(_FIELD_PURPOSE)
        plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], version.encode())
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("the value cannot be decrypted with this key") from exc
    return plain.decode("utf-8")
