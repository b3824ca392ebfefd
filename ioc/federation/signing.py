"""Signed requests between centers (R9.1): HMAC-SHA256 over the method, the path, the timestamp, the body's
SHA-256 digest and the delivery id, one per line, under the link's shared secret.

Headers: `X-IOC-Key-Id` (the link), `X-IOC-Timestamp` (Unix seconds), `X-IOC-Delivery-Id` (a UUID, new for every
attempt), `X-IOC-Signature` (`sha256=<hex>`). The shared secret is sealed at rest with AES-256-GCM under a key
derived from `SECRET_KEY` (`seal` / `unseal`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

KEY_HEADER = "X-IOC-Key-Id"
TIMESTAMP_HEADER = "X-IOC-Timestamp"
DELIVERY_HEADER = "X-IOC-Delivery-Id"
SIGNATURE_HEADER = "X-IOC-Signature"
_SEAL_CONTEXT = b"ioc-federation-secret:v1"
_NONCE = 12


def canonical(*, method: str, path: str, timestamp: str, body: bytes, delivery_id: str) -> bytes:
    """The signed text: method, path, timestamp, body digest (hex SHA-256) and delivery id, one per line."""
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, digest, delivery_id]).encode()


def signature(secret: str, *, method: str, path: str, timestamp: str, body: bytes, delivery_id: str) -> str:
    text = canonical(method=method, path=path, timestamp=timestamp, body=body, delivery_id=delivery_id)
    return "sha256=" + hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()


def signed_headers(
    *, key_id: str, secret: str, method: str, path: str, body: bytes, delivery_id: str, now: float | None = None
) -> dict[str, str]:
    """The four headers of one signed request."""
    timestamp = str(int(time.time() if now is None else now))
    sig = signature(secret, method=method, path=path, timestamp=timestamp, body=body, delivery_id=delivery_id)
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: timestamp,
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: sig,
        "Content-Type": "application/json",
    }


@dataclass(frozen=True)
class Signed:
    """The signing headers of a received request (values may be empty or malformed: `verify` judges them)."""

    key_id: str
    timestamp: str
    delivery_id: str
    signature: str

    @classmethod
    def from_meta(cls, meta: Mapping[str, object]) -> Signed:
        def header(name: str) -> str:
            return str(meta.get("HTTP_" + name.upper().replace("-", "_"), "")).strip()

        return cls(header(KEY_HEADER), header(TIMESTAMP_HEADER), header(DELIVERY_HEADER), header(SIGNATURE_HEADER))


class Refused(Exception):
    """A request refused before anything is read from its body: status, code and a bilingual message."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def check_headers(signed: Signed) -> None:
    """Every header present and well formed, else 401 naming the header."""
    for name, value in (
        (KEY_HEADER, signed.key_id),
        (TIMESTAMP_HEADER, signed.timestamp),
        (DELIVERY_HEADER, signed.delivery_id),
        (SIGNATURE_HEADER, signed.signature),
    ):
        if not value:
            raise Refused(401, "unsigned", "Yêu cầu chưa ký / Unsigned request", {name: ["missing / thiếu"]})
    if not signed.timestamp.isdigit():
        message = "Thời điểm ký không hợp lệ / Malformed timestamp"
        raise Refused(401, "bad_timestamp", message, {TIMESTAMP_HEADER: ["digits"]})
    try:
        uuid.UUID(signed.delivery_id)
    except ValueError:
        raise Refused(
            401, "bad_delivery_id", "Mã lần gửi không hợp lệ / Malformed delivery id", {DELIVERY_HEADER: ["uuid"]}
        ) from None


def verify(signed: Signed, *, secret: str, method: str, path: str, body: bytes, skew: int, now: float) -> None:
    """401 when the signature does not match or the timestamp is further than `skew` seconds from `now`."""
    expected = signature(
        secret, method=method, path=path, timestamp=signed.timestamp, body=body, delivery_id=signed.delivery_id
    )
    if not hmac.compare_digest(expected.encode(), signed.signature.encode()):
        raise Refused(401, "bad_signature", "Chữ ký không khớp / Signature does not match", {SIGNATURE_HEADER: ["≠"]})
    if abs(now - int(signed.timestamp)) > skew:
        raise Refused(
            401,
            "stale",
            "Thời điểm ký lệch quá 5 phút / Timestamp outside the allowed clock skew (±5 min)",
            {TIMESTAMP_HEADER: [str(skew)]},
        )


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _seal_key() -> bytes:
    return hashlib.sha256(_SEAL_CONTEXT + settings.SECRET_KEY.encode()).digest()


def seal(secret: str) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(_seal_key()).encrypt(nonce, secret.encode(), _SEAL_CONTEXT)
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str) -> str:
    """The secret; "" when the token is empty or was sealed under another SECRET_KEY."""
    if not token:
        return ""
    raw = base64.urlsafe_b64decode(token.encode())
    try:
        return AESGCM(_seal_key()).decrypt(raw[:_NONCE], raw[_NONCE:], _SEAL_CONTEXT).decode()
    except InvalidTag:
        return ""
