"""Mosquitto's password file and ACL (R5.5, SensorThings MQTT extension), written by `./manage.py mqtt_sync_acl`.

- Passwords are stored as Mosquitto 2 writes them (`mosquitto_passwd`): `$7$<iterations>$<salt>$<hash>`,
  PBKDF2-HMAC-SHA512 with a 12-byte salt, both in standard base64.
- Each information system with a credential logs in as its code and may publish (and read back) only on the
  topics of its own agency's Datastreams, by number and by string id; the bridge's login (`MQTT_USERNAME`) reads
  and writes every Observations topic (it subscribes to all of them and publishes new observations back).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ITERATIONS = 101  # mosquitto_passwd's own default
SALT_BYTES = 12


def password_hash(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The `$7$` line Mosquitto 2 reads after `username:`."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def password_check(password: str, stored: str) -> bool:
    """True when `password` matches a `$7$` hash (what Mosquitto does at CONNECT)."""
    parts = stored.split("$")
    if len(parts) != 5 or parts[1] != "7" or not parts[2].isdigit():
        return False
    salt, expected = base64.b64decode(parts[3]), base64.b64decode(parts[4])
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, int(parts[2]))
    return hmac.compare_digest(digest, expected)


def stream_topics(stream_id: int, ext_id: str | None) -> list[str]:
    topics = [f"v1.1/Datastreams({stream_id})/Observations"]
    if ext_id:
        topics.append(f"v1.1/Datastreams('{ext_id}')/Observations")
    return topics


@dataclass(frozen=True)
class Login:
    """One broker login: its name, its `$7$` hash, and the topics it may use (`read`, `write` or `readwrite`)."""

    username: str
    hashed: str
    topics: tuple[tuple[str, str], ...]


def password_file(logins: Iterable[Login]) -> str:
    return "".join(f"{login.username}:{login.hashed}\n" for login in logins)


def acl_file(logins: Iterable[Login]) -> str:
    """Mosquitto's acl_file: a `user` block per login; anything not granted is refused."""
    lines = ["# Written by ./manage.py mqtt_sync_acl; changes by hand are overwritten.", ""]
    for login in logins:
        lines.append(f"user {login.username}")
        lines += [f"topic {access} {topic}" for access, topic in login.topics]
        lines.append("")
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Replace a file in one step (a temporary file renamed over it), readable by owner and group (0640)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
