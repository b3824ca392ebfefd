"""Chunked AES-256-GCM for backup archives (R10.1): large files stream through, never held in memory.

Layout: `MAGIC | salt (16) | nonce prefix (7) | key check (16)`, then chunks `length (4, big-endian; top bit =
last chunk) | ciphertext + tag`. The key is HKDF-SHA256 of `IOC_BACKUP_KEY` with the archive's salt. Chunk `i` is
sealed with the nonce `prefix | i (4) | last (1)` and the header as associated data, so a reordered, dropped,
truncated or appended chunk fails to open (the STREAM construction). The key check tells a wrong key apart from a
damaged archive.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"IOCBAK01"
SALT_BYTES = 16
PREFIX_BYTES = 7
CHECK_BYTES = 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES + CHECK_BYTES
CHUNK_BYTES = 1024 * 1024
TAG_BYTES = 16
_LAST = 0x8000_0000
_MAX_COUNTER = 0xFFFF_FFFF


class ArchiveError(Exception):
    """The archive cannot be opened; `code` says why (wrong_key, tampered, truncated, not_archive)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _derive(secret: str, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"ioc-backup-v1").derive(
        secret.encode("utf-8")
    )
    return material[:32], material[32:]


def _key_check(check_key: bytes, header_start: bytes) -> bytes:
    return hmac.new(check_key, b"key-check" + header_start, hashlib.sha256).digest()[:CHECK_BYTES]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter > _MAX_COUNTER:
        raise ArchiveError("too_large", "archive has too many chunks")
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written is sealed chunk by chunk into `sink`; `close()` seals the last."""

    def __init__(self, sink: BinaryIO, secret: str) -> None:
        salt, prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        key, check_key = _derive(secret, salt)
        start = MAGIC + salt + prefix
        self._header = start + _key_check(check_key, start)
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._sink = sink
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False
        sink.write(self._header)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, self._header)
        self._sink.write(struct.pack(">I", len(sealed) | (_LAST if last else 0)))
        self._sink.write(sealed)
        self._counter += 1

    def flush(self) -> None:
        self._sink.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


class DecryptingReader:
    """A read-only file object over an archive: every chunk is authenticated before a byte of it is returned.

    Reading past the end raises ArchiveError("truncated") when the last chunk never came; `finish()` checks that the
    last chunk was read and nothing follows it.
    """

    def __init__(self, source: BinaryIO, secret: str) -> None:
        header = source.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise ArchiveError("not_archive", "Không phải tệp sao lưu IOC / not an IOC backup archive (unknown header)")
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        self._prefix = header[len(MAGIC) + SALT_BYTES : len(MAGIC) + SALT_BYTES + PREFIX_BYTES]
        key, check_key = _derive(secret, salt)
        if not hmac.compare_digest(_key_check(check_key, header[:-CHECK_BYTES]), header[-CHECK_BYTES:]):
            raise ArchiveError("wrong_key", "Sai khoá sao lưu / wrong backup key (IOC_BACKUP_KEY) for this archive")
        self._header = header
        self._aead = AESGCM(key)
        self._source = source
        self._counter = 0
        self._pending = b""
        self._done = False

    def _next_chunk(self) -> bytes:
        raw = self._source.read(4)
        if len(raw) < 4:
            raise ArchiveError("truncated", "Tệp sao lưu bị cắt cụt / archive is truncated (its last chunk is missing)")
        (word,) = struct.unpack(">I", raw)
        last, size = bool(word & _LAST), word & ~_LAST
        if size < TAG_BYTES or size > CHUNK_BYTES + TAG_BYTES:
            raise ArchiveError("tampered", "Tệp sao lưu bị hỏng hoặc bị sửa / archive damaged or altered (length)")
        sealed = self._source.read(size)
        if len(sealed) < size:
            raise ArchiveError("truncated", "Tệp sao lưu bị cắt cụt / archive is truncated (a chunk is cut short)")
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._counter, last), sealed, self._header)
        except InvalidTag:
            raise ArchiveError(
                "tampered",
                ("Tệp sao lưu bị hỏng hoặc bị sửa / archive is damaged or was altered (a chunk fails authentication)"),
            ) from None
        self._counter += 1
        self._done = last
        return plain

    def read(self, size: int = -1) -> bytes:
        parts = [self._pending]
        have = len(self._pending)
        while (size < 0 or have < size) and not self._done:
            chunk = self._next_chunk()
            parts.append(chunk)
            have += len(chunk)
        data = b"".join(parts)
        if size < 0:
            self._pending = b""
            return data
        self._pending = data[size:]
        return data[:size]

    def finish(self) -> None:
        """The whole archive was authenticated: the last chunk came and nothing follows it."""
        while not self._done:
            self._next_chunk()
        if self._source.read(1):
            raise ArchiveError("tampered", "Tệp sao lưu bị sửa / archive altered (data after the last chunk)")
