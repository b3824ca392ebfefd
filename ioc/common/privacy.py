"""Personal-data helpers shared by every app that holds citizens' contacts (R7.5; DESIGN "Personal data helpers").

`blind_index`: HMAC-SHA256 (an HKDF-derived key from `settings.FIELD_ENCRYPTION_KEY`) of a phone number, e-mail
address or ID number, normalised first, so equal values can be looked up without storing them in the clear
(citizen reports' duplicate suggestions, R3; a dossier's lookup by the phone or ID given at receipt, R5.3).
The derivation is unchanged from `citizen_reports.privacy`, which re-exports these names: stored indexes stay valid.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["blind_index", "derived_key", "normalize_email", "normalize_phone"]


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
