"""Second-factor helpers that read (never write): the otpauth URL, its QR code and the current code (R7.4)."""

from __future__ import annotations

import base64
import time
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app accepts when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_secret_grouped(device: TOTPDevice) -> str:
    secret = totp_secret(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_url(device: TOTPDevice) -> str:
    """otpauth:// URL (Key Uri Format) with the deployment as issuer."""
    issuer = f"IOC {settings.IOC_PROFILE}"
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = {"secret": totp_secret(device), "algorithm": "SHA1", "digits": device.digits, "period": device.step}
    return f"otpauth://totp/{label}?{urlencode(params)}&issuer={quote(issuer)}"


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth URL as an inline SVG QR code (no external request, no script)."""
    return str(segno.make(totp_url(device), error="m").svg_inline(scale=5, border=2, dark="#1d273b", light="#ffffff"))


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0, at: float | None = None) -> str:
    """The code the device shows now (or `steps_ahead` steps later), zero-padded."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = (time.time() if at is None else at) + steps_ahead * device.step
    return str(generator.token()).zfill(device.digits)


def totp_code_outside(device: TOTPDevice, *, steps: range = range(-2, 3)) -> str:
    """A well-formed code the device does not show at any of `steps` around now (for tests of wrong codes)."""
    near = {totp_code(device, steps_ahead=step) for step in steps}
    return next(code for code in (str(n).zfill(device.digits) for n in range(1_000_000)) if code not in near)
