"""R5.6: the syslog listener of `manage.py cyber_syslog`: UDP datagrams and TCP streams framed by RFC 6587 (octet
counting "LEN SP MSG", or a line feed), on one unprivileged port (default 5514). The network threads frame and parse
(`parse`, no database) and queue the results in a bounded buffer; one writer thread flushes a batch every 500 ms or
1,000 lines (`flush`: one multi-row INSERT, dedup in SQL). A full buffer stops the TCP readers, so the kernel's window
slows the senders (back-pressure, nothing dropped); UDP has no such brake: what the socket's buffer cannot hold is
lost, and counted by nobody but the sender. A line over 64 KiB is cut off and counted as oversized, never held in
memory whole."""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import close_old_connections

from ioc.cybersecurity.choices import BATCH_EVENTS, BATCH_SECONDS, MAX_EVENT_BYTES

logger = logging.getLogger(__name__)
OVERSIZED = b"\x00oversized"  # a marker no real line can be (decode_line refuses it by length)
Line = tuple[bytes, str]
UDP_BUFFER_BYTES = 8 * 1024 * 1024  # the kernel caps it at net.core.rmem_max
BUFFER_ITEMS = 200_000  # parsed lines waiting for the writer: 20 s at 10,000 events/s
T = TypeVar("T")


class Framer:
    """RFC 6587 framing of one TCP stream: octet counting when a frame starts with a digit, else LF-terminated.
    Reads with a cursor and cuts the buffer once per `feed` (cutting it per frame copied the rest each time)."""

    def __init__(self) -> None:
        self.buffer = b""
        self.pos = 0
        self.skip = 0  # bytes of an oversized frame still to discard
        self.skip_to_lf = False

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer, self.pos = self.buffer[self.pos :] + data, 0
        frames: list[bytes] = []
        while self.pos < len(self.buffer):
            frame = self._next()
            if frame is None:
                break
            if frame is not _AGAIN:
                frames.append(frame)
        self.buffer, self.pos = self.buffer[self.pos :], 0
        return frames

    def _next(self) -> bytes | None:
        """A frame, None (more data needed) or _AGAIN (bytes consumed, no frame: an empty line, a skipped part)."""
        if self.skip:
            cut = min(self.skip, len(self.buffer) - self.pos)
            self.pos, self.skip = self.pos + cut, self.skip - cut
            return None if self.skip else _AGAIN
        if self.skip_to_lf:
            end = self.buffer.find(b"\n", self.pos)
            if end < 0:
                self.pos = len(self.buffer)
                return None
            self.pos, self.skip_to_lf = end + 1, False
            return _AGAIN
        if self.buffer[self.pos : self.pos + 1].isdigit():
            return self._counted()
        return self._line()

    def _counted(self) -> bytes | None:
        space = self.buffer.find(b" ", self.pos, self.pos + 12)
        if space < 0:
            return None if len(self.buffer) - self.pos < 12 else self._line()
        digits = self.buffer[self.pos : space]
        length = int(digits) if digits.isdigit() else -1
        if length < 0:
            return self._line()
        if length > MAX_EVENT_BYTES:
            self.pos, self.skip = space + 1, length
            return OVERSIZED
        if len(self.buffer) < space + 1 + length:
            return None
        self.pos = space + 1 + length
        return self.buffer[space + 1 : self.pos]

    def _line(self) -> bytes | None:
        end = self.buffer.find(b"\n", self.pos)
        if end < 0:
            if len(self.buffer) - self.pos > MAX_EVENT_BYTES:
                self.pos, self.skip_to_lf = len(self.buffer), True
                return OVERSIZED
            return None
        frame, self.pos = self.buffer[self.pos : end], end + 1
        if len(frame) > MAX_EVENT_BYTES:
            return OVERSIZED
        return frame.rstrip(b"\r") or _AGAIN


_AGAIN = b"again"  # compared by identity only: a frame equal to it is a new bytes object


class Buffer(Generic[T]):
    """The bounded queue between the network threads and the writer: `put_many` waits while it holds `limit`
    items (TCP back-pressure), `take` returns up to n items once n are there or the timeout passes."""

    def __init__(self, limit: int) -> None:
        self._items: deque[T] = deque()
        self._limit = limit
        self._changed = threading.Condition()

    def put_many(self, items: Sequence[T]) -> None:
        if not items:
            return
        with self._changed:
            while len(self._items) >= self._limit:
                self._changed.wait()
            self._items.extend(items)
            self._changed.notify_all()

    def take(self, n: int, timeout: float) -> list[T]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._items) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            batch = [self._items.popleft() for _ in range(min(n, len(self._items)))]
            self._changed.notify_all()
            return batch

    def __len__(self) -> int:
        return len(self._items)


def _expand(frame: bytes) -> bytes:
    return b"x" * (MAX_EVENT_BYTES + 1) if frame == OVERSIZED else frame


Parse = Callable[[list[Line]], Sequence[Any]]


def _as_is(lines: list[Line]) -> list[Line]:
    return lines


def _parsed(parse: Parse, lines: list[Line]) -> Sequence[Any]:
    """`parse` over a read's lines; a failure it did not expect costs only its own line (logged), never the
    connection and the other lines of the read."""
    try:
        return parse(lines)
    except Exception:
        kept: list[Any] = []
        for line in lines:
            try:
                kept.extend(parse([line]))
            except Exception:
                logger.exception("cyber_syslog: a line of %d bytes from %s was not parsed", len(line[0]), line[1])
        return kept


class _Tcp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    buffer: Buffer[Any]
    parse: Parse


class _TcpHandler(socketserver.BaseRequestHandler):
    server: _Tcp

    def handle(self) -> None:
        framer, sender = Framer(), str(self.client_address[0])
        while True:
            try:
                data = self.request.recv(65536)
            except OSError:
                return
            if not data:
                return
            frames = framer.feed(data)
            if frames:  # waits while the buffer is full: the socket is not read, the sender slows down
                self.server.buffer.put_many(_parsed(self.server.parse, [(_expand(frame), sender) for frame in frames]))


class _Udp(socketserver.UDPServer):
    """One thread reads datagrams and only queues them (a thread per datagram loses most of a burst)."""

    allow_reuse_address = True
    max_packet_size = MAX_EVENT_BYTES + 1
    buffer: Buffer[Any]
    parse: Parse

    def server_bind(self) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_BUFFER_BYTES)
        super().server_bind()


class _UdpHandler(socketserver.BaseRequestHandler):
    server: _Udp

    def handle(self) -> None:
        data = self.request[0]
        self.server.buffer.put_many(_parsed(self.server.parse, [(data.rstrip(b"\n"), str(self.client_address[0]))]))


class Listener:
    """UDP + TCP on `host:port` (port 0: an ephemeral TCP port, UDP on the same number) and the batch writer.
    `parse` runs in the network threads on each read's lines (default: the raw `(line, sender)` pairs go on),
    `flush` in the writer thread on each batch of what `parse` returned."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        flush: Callable[[list[Any]], object],
        parse: Parse = _as_is,
        limit: int = BUFFER_ITEMS,
    ) -> None:
        self.buffer: Buffer[Any] = Buffer(limit)
        self.tcp = _Tcp((host, port), _TcpHandler)
        self.tcp.buffer, self.tcp.parse = self.buffer, parse
        self.port = self.tcp.server_address[1]
        self.udp = _Udp((host, self.port), _UdpHandler)
        self.udp.buffer, self.udp.parse = self.buffer, parse
        self.flush, self.stopping = flush, threading.Event()
        self.threads = [
            threading.Thread(target=self.tcp.serve_forever, daemon=True, name="cyber-syslog-tcp"),
            threading.Thread(target=self.udp.serve_forever, daemon=True, name="cyber-syslog-udp"),
            threading.Thread(target=self._write, daemon=True, name="cyber-syslog-writer"),
        ]

    def start(self) -> Listener:
        for thread in self.threads:
            thread.start()
        return self

    def _write(self) -> None:
        while not (self.stopping.is_set() and not len(self.buffer)):
            batch = self.buffer.take(BATCH_EVENTS, BATCH_SECONDS)
            if not batch:
                continue
            try:
                close_old_connections()
                self.flush(batch)
            except Exception:  # a failed batch is logged; the listener keeps running
                logger.exception("cyber_syslog: a batch of %d lines was not written", len(batch))

    def stop(self) -> None:
        self.tcp.shutdown()
        self.udp.shutdown()
        self.tcp.server_close()
        self.udp.server_close()
        self.stopping.set()
        self.threads[2].join(timeout=10)


def send_udp(host: str, port: int, payload: bytes) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(payload, (host, port))
