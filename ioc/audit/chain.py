"""The HMAC chain of the audit trail and its anchor file (R7.3).

`link(n) = HMAC-SHA256(AUDIT_KEY, link(n-1) || canonical JSON of entry n)`, with `link(0)` = 64 zeros.
The canonical JSON is computed from the values as stored in (and read back from) the database, so the
sealer and `audit_verify` always hash the same bytes. The anchor file holds one line per sealing,
`<position> <link> <sealed_at ISO>`, appended and fsynced after the database commit; backups include it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

GENESIS_LINK = "0" * 64

# The fields of an entry that its link covers, in the order they are read from the database.
CHAINED_FIELDS = (
    "position",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "address",
    "request_id",
    "row_count",
    "digest",
)


# One encoder for every call (it keeps no state between calls): `json.dumps` builds a new one each time, a fifth of
# the digest of a bulk write's rows (the escalation sweep's 2,000-step listing, issue 12 "Speed").
_CANONICAL = DjangoJSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same value always gives the same bytes."""
    return _CANONICAL.encode(value).encode("utf-8")


def entry_payload(row: Mapping[str, Any]) -> dict[str, Any]:
    """The chained fields of one entry (a `.values(*CHAINED_FIELDS)` row) as plain JSON values."""
    payload = {name: row[name] for name in CHAINED_FIELDS}
    created_at: dt.datetime = row["created_at"]
    payload["created_at"] = created_at.astimezone(dt.UTC).isoformat()
    return payload


def link_of(previous_link: str, row: Mapping[str, Any]) -> str:
    """R7.3: the link of an entry given the link before it."""
    key = str(settings.AUDIT_KEY).encode("utf-8")
    message = previous_link.encode("ascii") + canonical_json(entry_payload(row))
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def links_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def rows_digest(rows: Iterable[Mapping[str, Any] | tuple[Any, ...] | list[Any]]) -> tuple[int, str]:
    """R7.3 bulk writes: (row count, SHA-256 over the canonical JSON of each row, one per line)."""
    hasher = hashlib.sha256()
    count = 0
    encode = _row_encoder()
    for row in rows:
        kind = type(row)  # lists and tuples first: `isinstance(row, Mapping)` is an ABC check, slow per row
        plain = row if kind is list else list(row) if kind is tuple or not isinstance(row, Mapping) else row
        hasher.update(encode(plain).encode("utf-8") + b"\n")
        count += 1
    return count, hasher.hexdigest()


def _row_encoder() -> Callable[[Any], str]:
    """`canonical_json`'s text, for the many rows of one digest: CPython's C encoder made once (what
    `JSONEncoder.encode` makes anew for every call: most of a row's cost), with its own circular-reference marks."""
    if c_make_encoder is None:  # an interpreter without the C encoder
        return _CANONICAL.encode
    make = c_make_encoder({}, _CANONICAL.default, encode_basestring, None, ":", ",", True, False, True)
    return lambda value: "".join(make(value, 0))


# --- the anchor file -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchorLine:
    position: int
    link: str
    sealed_at: str


class AnchorUnreadable(ValueError):
    """A line of the anchor file is not `<position> <64 hex> <timestamp>` (it was edited)."""

    def __init__(self, line_no: int, text: str) -> None:
        super().__init__(f"anchor line {line_no}: {text[:80]!r}")
        self.line_no = line_no


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_PATH)


def anchor_append(*, position: int, link: str, sealed_at: dt.datetime) -> None:
    """Append the chain head to the anchor file: append mode, flush and fsync (R7.3)."""
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    line = f"{position} {link} {sealed_at.astimezone(dt.UTC).isoformat()}\n"
    with path.open("a", encoding="ascii") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    if created:
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def anchor_read() -> list[AnchorLine] | None:
    """Every line of the anchor file, or None when the file does not exist. Raises AnchorUnreadable."""
    path = anchor_path()
    if not path.exists():
        return None
    lines: list[AnchorLine] = []
    with path.open("r", encoding="ascii", errors="replace") as handle:
        for line_no, raw in enumerate(handle, start=1):
            text = raw.rstrip("\n")
            if text:
                lines.append(_parse_anchor_line(line_no, text))
    return lines


_POSITION = re.compile(r"[1-9][0-9]{0,18}")
_LINK = re.compile(r"[0-9a-f]{64}")


def _parse_anchor_line(line_no: int, text: str) -> AnchorLine:
    parts = text.split(" ")
    if len(parts) != 3 or not _POSITION.fullmatch(parts[0]) or not _LINK.fullmatch(parts[1]):
        raise AnchorUnreadable(line_no, text)
    try:
        dt.datetime.fromisoformat(parts[2])
    except ValueError as exc:
        raise AnchorUnreadable(line_no, text) from exc
    return AnchorLine(position=int(parts[0]), link=parts[1], sealed_at=parts[2])
