"""System checks of the IOC's own settings: production refuses what would fail quietly later (issue 8, part 5).

`config/settings.py` reads a missing secret as "" when DEBUG is off, so that `manage.py check` can name every problem
with its id instead of stopping at the first; every other process refuses to start (`refuse_to_start`, called by
`ioc.common.apps`). Registered from `CommonConfig.ready()`:

| id | when | what |
|---|---|---|
| ioc.E001–E004 | DEBUG off | SECRET_KEY, AUDIT_KEY, FIELD_ENCRYPTION_KEY or TOKEN_HMAC_KEY is missing |
| ioc.E005 | production (`deploy`) | a secret is weak (SECRET_KEY: < 50 characters; any: < 5 distinct characters, a
  Django `django-insecure-` key or the debug-only default) |
| ioc.E006 | production (`deploy`) | IOC_PUBLIC_BASE_URL is not an https address citizens can reach |

Production means DEBUG off and IOC_TLS on; the demo (`scripts/demo`: DEBUG=0, IOC_TLS=0, random secrets, a
loopback address) passes.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SECRETS: dict[str, str] = {
    "SECRET_KEY": "ioc.E001",
    "AUDIT_KEY": "ioc.E002",
    "FIELD_ENCRYPTION_KEY": "ioc.E003",
    "TOKEN_HMAC_KEY": "ioc.E004",
}
WEAK_SECRET_ID = "ioc.E005"
PUBLIC_BASE_URL_ID = "ioc.E006"
SECRET_KEY_MIN_LENGTH = 50
SECRET_MIN_DISTINCT = 5
# Django's `startproject` keys and config/settings.py's debug-only defaults.
INSECURE_PREFIXES = ("django-insecure-", "insecure-debug-")
SECRET_HINT = 'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'


def _production() -> bool:
    """DEBUG off and TLS on: a deployment citizens reach (the demo runs with IOC_TLS=0)."""
    return not settings.DEBUG and bool(getattr(settings, "IOC_TLS", True))


def _secret(name: str) -> str:
    try:
        return str(getattr(settings, name, "") or "")
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        return ""


def missing_secrets() -> list[checks.Error]:
    """ioc.E001–E004: a secret that is not set while DEBUG is off (settings read it as "")."""
    if settings.DEBUG:
        return []
    return [
        checks.Error(
            f"Thiếu khóa bí mật {name} / {name} is not set",
            hint=f"Đặt {name} trong môi trường (ít nhất 32 ký tự) / Set {name} in the environment: {SECRET_HINT}",
            id=error_id,
        )
        for name, error_id in SECRETS.items()
        if not _secret(name)
    ]


def secret_weakness(name: str, value: str) -> str:
    """Why `value` is a weak secret for `name` ("" when it is not)."""
    if value.startswith(INSECURE_PREFIXES):
        return "khóa mẫu không an toàn / an insecure sample key"
    if len(set(value)) < SECRET_MIN_DISTINCT:
        return f"ít hơn {SECRET_MIN_DISTINCT} ký tự khác nhau / fewer than {SECRET_MIN_DISTINCT} distinct characters"
    if name == "SECRET_KEY" and len(value) < SECRET_KEY_MIN_LENGTH:
        return f"ngắn hơn {SECRET_KEY_MIN_LENGTH} ký tự / shorter than {SECRET_KEY_MIN_LENGTH} characters"
    return ""


def check_missing_secrets(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every command (not only `--deploy`): a process without its secrets must not run."""
    return list(missing_secrets())


def check_weak_secrets(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production, a secret someone could guess (ioc.E005)."""
    if not _production():
        return []
    errors: list[checks.CheckMessage] = []
    for name in SECRETS:
        value = _secret(name)
        reason = secret_weakness(name, value) if value else ""
        if reason:
            errors.append(
                checks.Error(
                    f"Khóa bí mật {name} yếu: {reason} / {name} is weak",
                    hint=f"Tạo khóa ngẫu nhiên mới / Generate a new random key: {SECRET_HINT}",
                    id=WEAK_SECRET_ID,
                )
            )
    return errors


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def public_base_url_problem(url: str) -> str:
    """Why `url` cannot be the address in citizens' tracking links ("" when it can)."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return "chưa đặt hoặc không phải địa chỉ đầy đủ / not set or not an absolute address"
    if _loopback(parts.hostname):
        return f"trỏ về máy này ({parts.hostname}) / points at this machine ({parts.hostname})"
    if parts.scheme != "https":
        return "không dùng https / not https"
    return ""


def check_public_base_url(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """R3.1: in production the tracking links sent to citizens are built on IOC_PUBLIC_BASE_URL."""
    if not _production():
        return []
    url = str(getattr(settings, "IOC_PUBLIC_BASE_URL", "") or "")
    reason = public_base_url_problem(url)
    if not reason:
        return []
    return [
        checks.Error(
            f"IOC_PUBLIC_BASE_URL {reason}: đường dẫn theo dõi gửi cho người dân sẽ sai "
            f"/ citizens' tracking links would be wrong ({url or 'empty'})",
            hint="Đặt IOC_PUBLIC_BASE_URL=https://<tên miền công khai> / Set it to the public https address",
            id=PUBLIC_BASE_URL_ID,
        )
    ]


SQLITE_MINIMUM = (3, 38, 0)  # RETURNING (3.35); the JSON `->`/`->>` operators of the data hub's indexes (3.38)
SQLITE_VERSION_ID = "ioc.E007"


def sqlite_version_problem(version: tuple[int, int, int]) -> str:
    """Why this SQLite library is too old for the product, or ""."""
    if version >= SQLITE_MINIMUM:
        return ""
    have, need = ".".join(map(str, version)), ".".join(map(str, SQLITE_MINIMUM))
    return f"SQLite {have} quá cũ, cần ≥ {need} / SQLite {have} is too old, {need} or later is needed"


def check_sqlite_version(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The embedded database's library: the sharing API's keyset pages and the data hub's expression indexes use
    the JSON operators of SQLite 3.38 (Debian 12 ships 3.40); an older library would answer every page with a 500."""
    import sqlite3

    if not any(db.get("ENGINE", "").endswith("sqlite3") for db in settings.DATABASES.values()):
        return []
    reason = sqlite_version_problem(sqlite3.sqlite_version_info)
    if not reason:
        return []
    return [
        checks.Error(
            reason, hint="Cài SQLite mới hơn / Install a newer SQLite (DESIGN: Debian 12)", id=SQLITE_VERSION_ID
        )
    ]


def register() -> None:
    checks.register(check_sqlite_version, checks.Tags.database)
    checks.register(check_missing_secrets, checks.Tags.security)
    checks.register(check_weak_secrets, checks.Tags.security, deploy=True)
    checks.register(check_public_base_url, checks.Tags.security, deploy=True)


def refuse_to_start(argv: Sequence[str] | None = None) -> None:
    """Any process but `manage.py check` stops at start when a secret is missing (DEBUG off): gunicorn runs no
    system checks, and a key read as "" would sign the audit chain or encrypt citizens' contacts with nothing."""
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "check":
        return
    errors = missing_secrets()
    if errors:
        lines = "; ".join(f"{error.id}: {error.msg}" for error in errors)
        raise ImproperlyConfigured(f"{lines}. {SECRET_HINT}")
