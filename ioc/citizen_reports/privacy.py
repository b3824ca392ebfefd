"""Personal data of reporters (R7.5): field encryption, blind indexes and masking of contacts in free text.

- `encrypt` / `decrypt`: AES-256-GCM (the key derived from `settings.FIELD_ENCRYPTION_KEY`); they live in
  `ioc.common.privacy` (shared with the center's staff records) and are re-exported here.
- `blind_index`: lives in `ioc.common.privacy` (shared with dossiers) and is re-exported here, so equal phones
  or e-mails can be looked up without decrypting (duplicate suggestions).
- `mask_contacts`: hides Vietnamese phone numbers and e-mail addresses typed into descriptions and notes in
  every public response.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from ioc.common.privacy import (
    DecryptionError,
    blind_index,
    decrypt,
    derived_key,
    encrypt,
    normalize_email,
    normalize_phone,
)

__all__ = [
    "DecryptionError",
    "blind_index",
    "decrypt",
    "encrypt",
    "mask_contacts",
    "normalize_email",
    "normalize_phone",
    "private_token_digest",
    "token_matches",
]


def _key(purpose: bytes) -> bytes:
    return derived_key(purpose)


def private_token_digest(token: str) -> str:
    """R3.4: the stored form of a report's private token (rating and reopening compare against it)."""
    return hmac.new(_key(b"private-token:v1"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def token_matches(report: Any, private_token: str) -> bool:
    """R3.4: does `private_token` open this report's private link (constant-time comparison)?"""
    digest = str(getattr(report, "private_token_digest", "") or "")
    if not private_token or not digest:
        return False
    return hmac.compare_digest(digest, private_token_digest(str(private_token)))


# --- masking -----------------------------------------------------------------------------------------------

_SEP = r"(?:[ .\-]|\)[ ]?)?"  # one optional separator between digits: space, dot, hyphen, or ")" after an area code


def _digits(n: int) -> str:
    return rf"(?:{_SEP}\d){{{n}}}"


_NATIONAL = (
    rf"\(?0(?:[35789]{_digits(8)}"  # mobile: 0[35789] + 8 digits
    rf"|2{_digits(9)}"  # landline: 02 + 9 digits
    rf"|1[2689]{_digits(8)})"  # pre-2018 11-digit mobiles
)
_INTERNATIONAL = rf"(?:\+|00)?\(?84\)?[ .\-]?(?:\(0\)[ ]?)?(?:[35789]{_digits(8)}|2{_digits(9)})"
_PHONE = re.compile(rf"(?<![\d+])(?<!\d[.,])(?:{_INTERNATIONAL}|{_NATIONAL})(?!\d)(?![.,]\d)")
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
MASK = "*"
_PHONE_MIN_DIGITS = 10  # 0 + 9 digits (mobile); every other form has more


def _mask_phone(match: re.Match[str]) -> str:
    text = match.group(0)
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    keep = set(positions[:2] + positions[-2:])
    return "".join(MASK if ch.isdigit() and i not in keep else ch for i, ch in enumerate(text))


def _mask_email(match: re.Match[str]) -> str:
    local = match.group(0).split("@", 1)[0]
    return f"{local[:1]}{MASK * 3}@{MASK * 3}"


def mask_contacts(text: str) -> str:
    """R3.4, R7.5: `text` with e-mail addresses and Vietnamese phone numbers masked ("0912 345 678" →
    "09** *** *78", "an.nguyen@example.vn" → "a***@***"). Dates, coordinates and codes are left alone."""
    if not text:
        return text
    # Most texts hold neither: skip the expressions when no "@" and fewer digits than the shortest phone (10).
    # str.isdigit accepts every character `\d` matches, so the count never undercounts.
    if "@" in text:
        text = _EMAIL.sub(_mask_email, text)
    if sum(map(str.isdigit, text)) >= _PHONE_MIN_DIGITS:
        text = _PHONE.sub(_mask_phone, text)
    return text
