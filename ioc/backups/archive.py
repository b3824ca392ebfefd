"""The backup archive (R10.1): an encrypted tar stream with a header, the copies and a SHA-256 manifest.

Members in order: `header.json` (format, time, engines, settings fingerprint), `anchor/audit-anchor.log` (copied
*before* the database, so the anchor never names a link the copy lacks; a lag is caught up by the next sealing),
`db/<alias>.sqlite3|.pgdump`, `media/<path>` (copied *after* the database, so every file a row names is there), and
`manifest.json` last (size and SHA-256 of every member). The tar stream is sealed by `crypto` as it is written; a
restore authenticates, checks the header against this deployment's settings before extracting anything, and checks
every member against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings

from ioc.audit.selectors import anchor_path
from ioc.backups import sources
from ioc.backups.crypto import ArchiveError, DecryptingReader, EncryptingWriter

FORMAT = 1
HEADER = "header.json"
MANIFEST = "manifest.json"
ANCHOR = "anchor/audit-anchor.log"
FINGERPRINTED = ("SECRET_KEY", "AUDIT_KEY", "FIELD_ENCRYPTION_KEY", "TOKEN_HMAC_KEY", "IOC_PROFILE")
_DB_MEMBER = re.compile(r"^db/(default|cache)\.(sqlite3|pgdump)$")
_COPY_BYTES = 1024 * 1024


class RestoreRefused(Exception):
    """A restore stops before writing anything; `code` names why (ArchiveError's codes, settings, not_clean, …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def settings_fingerprint() -> dict[str, str]:
    """What restored data depends on, as digests (the archive never holds a secret): keys, profile, engines."""
    prints = {}
    for name in FINGERPRINTED:
        value = str(getattr(settings, name, "") or "")
        prints[name] = hashlib.sha256(f"ioc-backup-fingerprint\0{name}\0{value}".encode()).hexdigest()[:32]
    for alias in sources.database_aliases():
        prints[f"DATABASES[{alias}]"] = sources.engine_of(alias)
    return prints


@dataclass
class Written:
    path: Path
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    size: int = 0
    sha256: str = ""


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, written: Written | None) -> None:
    """Add `data` as member `name`, listed in `written`'s manifest (None: the manifest itself)."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))
    if written is not None:
        written.members[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _add_file(tar: tarfile.TarFile, name: str, path: Path, written: Written) -> None:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    hasher = hashlib.sha256()
    with sources.hashed_reader(path, hasher) as reader:
        tar.addfile(info, reader)
    written.members[name] = {"size": stat.st_size, "sha256": hasher.hexdigest()}


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((PurePosixPath("media", path.relative_to(root).as_posix()).as_posix(), path))
    return sorted(found)


def archive_write(*, target: Path, secret: str) -> Written:
    """R10.1: write the archive to `target` (through `<target>.part`, renamed once complete and synced)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = Written(path=target)
    part = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".staging-") as staging_dir:
        staging = Path(staging_dir)
        with part.open("wb") as sink:
            writer = EncryptingWriter(sink, secret)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
                _write_members(tar, staging, written)
            writer.close()
            sink.flush()
            os.fsync(sink.fileno())
    os.replace(part, target)
    written.size = target.stat().st_size
    written.sha256 = file_sha256(target)
    return written


def _write_members(tar: tarfile.TarFile, staging: Path, written: Written) -> None:
    header = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "fingerprint": settings_fingerprint(),
    }
    _add_bytes(tar, HEADER, json.dumps(header, sort_keys=True).encode(), written)
    anchor = anchor_path()
    if anchor.exists():
        _add_bytes(tar, ANCHOR, anchor.read_bytes(), written)
    for alias in sources.database_aliases():
        suffix = "sqlite3" if sources.engine_of(alias) == sources.SQLITE else "pgdump"
        copy = staging / f"{alias}.{suffix}"
        sources.snapshot(alias, copy)
        _add_file(tar, f"db/{alias}.{suffix}", copy, written)
        copy.unlink()
    for name, path in _media_files():
        _add_file(tar, name, path, written)
    manifest = {"format": FORMAT, "members": written.members}
    _add_bytes(tar, MANIFEST, json.dumps(manifest, sort_keys=True).encode(), None)


def file_sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_COPY_BYTES):
            hasher.update(block)
    return hasher.hexdigest()


# --- reading ----------------------------------------------------------------------------------------------------


def safe_member_name(name: str) -> bool:
    """Only the names a backup writes: no absolute path, no `..`, no empty or hidden trick parts."""
    if name in (HEADER, MANIFEST, ANCHOR) or _DB_MEMBER.match(name):
        return True
    path = PurePosixPath(name)
    if path.is_absolute() or "\\" in name or "\0" in name:
        return False
    parts = path.parts
    return len(parts) >= 2 and parts[0] == "media" and all(p not in ("", ".", "..") for p in parts)


def archive_read(*, source: Path, secret: str, staging: Path) -> dict[str, Any]:
    """R10.1: authenticate and unpack the archive into `staging`; returns the header. Nothing outside `staging`."""
    with source.open("rb") as handle:
        try:
            return _read(handle, secret, staging)
        except ArchiveError as exc:
            raise RestoreRefused(exc.code, str(exc)) from None
        except tarfile.TarError as exc:
            raise RestoreRefused("tampered", f"Tệp sao lưu hỏng / archive is damaged: {exc}") from None


def _read(handle: BinaryIO, secret: str, staging: Path) -> dict[str, Any]:
    reader = DecryptingReader(handle, secret)
    header: dict[str, Any] | None = None
    manifest: dict[str, Any] | None = None
    seen: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
        for member in tar:
            if manifest is not None:
                raise RestoreRefused("tampered", "Tệp sao lưu có dữ liệu sau bảng kê / data after the manifest")
            _check_member(member, first=header is None)
            data_file = tar.extractfile(member)
            assert data_file is not None  # _check_member admits regular files only
            if member.name == HEADER:
                raw = data_file.read()
                seen[HEADER] = {"size": len(raw), "sha256": hashlib.sha256(raw).hexdigest()}
                header = json.loads(raw)
                check_header(header)
            elif member.name == MANIFEST:
                manifest = json.loads(data_file.read())
            else:
                seen[member.name] = _extract(data_file, staging / member.name)
    reader.finish()
    if header is None or manifest is None:
        raise RestoreRefused("tampered", "Tệp sao lưu thiếu phần đầu hoặc bảng kê / header or manifest missing")
    listed: dict[str, Any] = manifest.get("members", {})
    differing = sorted(name for name in set(listed) | set(seen) if listed.get(name) != seen.get(name))
    if differing:
        raise RestoreRefused(
            "tampered",
            "Tệp sao lưu không khớp bảng kê SHA-256 / members differ from the manifest: " + ", ".join(differing[:5]),
        )
    return header


def _check_member(member: tarfile.TarInfo, *, first: bool) -> None:
    if not member.isfile() or not safe_member_name(member.name):
        raise RestoreRefused("tampered", f"Tên tệp không hợp lệ trong bản sao lưu / unsafe member {member.name!r}")
    if first != (member.name == HEADER):
        raise RestoreRefused("tampered", "Phần đầu bản sao lưu sai chỗ / the header is not the first member")


def _extract(data_file: Any, target: Path) -> dict[str, Any]:
    target.parent.mkdir(parents=True, exist_ok=True)
    hasher = hashlib.sha256()
    size = 0
    try:
        out = target.open("xb")
    except FileExistsError:
        raise RestoreRefused("tampered", f"Tệp lặp lại trong bản sao lưu / member repeated: {target.name}") from None
    with out:
        while block := data_file.read(_COPY_BYTES):
            hasher.update(block)
            out.write(block)
            size += len(block)
    return {"size": size, "sha256": hasher.hexdigest()}


def check_header(header: dict[str, Any]) -> None:
    """Refuse an archive of another format or written under other settings (named, never shown)."""
    if header.get("format") != FORMAT:
        raise RestoreRefused("format", f"Định dạng sao lưu không hỗ trợ / unsupported format {header.get('format')!r}")
    theirs: dict[str, str] = header.get("fingerprint", {})
    ours = settings_fingerprint()
    differing = sorted(name for name in set(theirs) | set(ours) if theirs.get(name) != ours.get(name))
    if differing:
        raise RestoreRefused(
            "settings",
            "Cấu hình khác với lúc sao lưu / settings differ from the backup's: " + ", ".join(differing),
        )
