"""The demo's private values (R11): passwords and token values shown once by the services, kept in
`var/demo-secrets.json` (mode 600, git-ignored) so later runs can print them again.

Tokens are stored hashed in the database, so their values exist only here. Nothing in the product reads this file.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings

FILE_NAME = "demo-secrets.json"


def secrets_path() -> Path:
    return Path(settings.VAR_DIR) / FILE_NAME


class SecretStore:
    """Per-profile passwords and token values, written atomically with owner-only permissions."""

    def __init__(self, profile: str, path: Path | None = None) -> None:
        self.profile = profile
        self.path = path or secrets_path()
        self._data: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        loaded = json.loads(self.path.read_text(encoding="utf-8"))
        return loaded if isinstance(loaded, dict) else {}

    def _section(self, name: str) -> dict[str, str]:
        profile = self._data.setdefault(self.profile, {})
        section: dict[str, str] = profile.setdefault(name, {})
        return section

    def password(self, username: str) -> str | None:
        return self._section("passwords").get(username)

    def set_password(self, username: str, value: str) -> None:
        self._section("passwords")[username] = value
        self.save()

    def token(self, key: str) -> str | None:
        return self._section("tokens").get(key)

    def set_token(self, key: str, value: str) -> None:
        self._section("tokens")[key] = value
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self._data, handle, ensure_ascii=False, indent=2, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def new_password() -> str:
    """A strong random password that passes the policy (length, three character classes)."""
    return f"Demo-{secrets.token_urlsafe(9)}-7a"
