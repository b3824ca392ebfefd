"""R5.6: the syslog listener of `manage.py cyber_syslog`: UDP datagrams and TCP streams framed by RFC 6587 (octet
counting "LEN SP MSG", or a line feed), on one unprivileged port (default 5514). Network threads only queue
`(line, sender)`; one writer thread flushes a batch every 500 ms or 1,000 lines through `ingest.syslog_batch`.
A line over 64 KiB is cut off and counted as oversized, never held in memory whole."""

from __future__ import annotations

import logging
import queue
import socket
import socketserver
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections

from ioc.cybersecurity.choices import BATCH_EVENTS, BATCH_SECONDS, MAX_EVENT_BYTES

logger = logging.getLogger(__name__)
OVERSIZED = b"\x00oversized"  # a marker no real line can be (decode_line refuses it by length)
Line = tuple[bytes, str]
UDP_BUFFER_BYTES = 8 * 1024 * 1024  # the kernel caps it at net.core.rmem_max


class Framer:
    """RFC 6587 framing of one TCP stream: octet counting when a frame starts with a digit, else LF-terminated."""

    def __init__(self) -> None:
        self.buffer = b""
        self.skip = 0  # bytes of an oversized frame still to discard
        self.skip_to_lf = False

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        frames: list[bytes] = []
        while self.buffer:
            frame = self._next()
            if frame is None:
                break
            frames.append(frame)
        return frames

    def _next(self) -> bytes | None:
        if self.skip:
            cut = min(self.skip, len(self.buffer))
            self.buffer, self.skip = self.buffer[cut:], self.skip - cut
            return None if self.skip else self._next() if self.buffer else None
        if self.skip_to_lf:
            end = self.buffer.find(b"\n")
            if end < 0:
                self.buffer = b""
                return None
            self.buffer, self.skip_to_lf = self.buffer[end + 1 :], False
            return None if not self.buffer else self._next()
        if self.buffer[:1].isdigit():
            return self._counted()
        return self._line()

    def _counted(self) -> bytes | None:
        space = self.buffer.find(b" ", 0, 12)
        if space < 0:
            return None if len(self.buffer) < 12 else self._line()
        length = int(self.buffer[:space]) if self.buffer[:space].isdigit() else -1
        if length < 0:
            return self._line()
        if length > MAX_EVENT_BYTES:
            self.buffer, self.skip = self.buffer[space + 1 :], length
            return OVERSIZED
        if len(self.buffer) < space + 1 + length:
            return None
        frame = self.buffer[space + 1 : space + 1 + length]
        self.buffer = self.buffer[space + 1 + length :]
        return frame

    def _line(self) -> bytes | None:
        end = self.buffer.find(b"\n")
        if end < 0:
            if len(self.buffer) > MAX_EVENT_BYTES:
                self.buffer, self.skip_to_lf = b"", True
                return OVERSIZED
            return None
        frame, self.buffer = self.buffer[:end], self.buffer[end + 1 :]
        if len(frame) > MAX_EVENT_BYTES:
            return OVERSIZED
        return frame.rstrip(b"\r") or self._next_or_none()

    def _next_or_none(self) -> bytes | None:
        return self._next() if self.buffer else None


def _expand(frame: bytes) -> bytes:
    return b"x" * (MAX_EVENT_BYTES + 1) if frame == OVERSIZED else frame


class _Tcp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    lines: queue.Queue[Line]


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
            for frame in framer.feed(data):
                self.server.lines.put((_expand(frame), sender))


class _Udp(socketserver.UDPServer):
    """One thread reads datagrams and only queues them (a thread per datagram loses most of a burst)."""

    allow_reuse_address = True
    max_packet_size = MAX_EVENT_BYTES + 1
    lines: queue.Queue[Line]

    def server_bind(self) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_BUFFER_BYTES)
        super().server_bind()


class _UdpHandler(socketserver.BaseRequestHandler):
    server: _Udp

    def handle(self) -> None:
        data = self.request[0]
        self.server.lines.put((data.rstrip(b"\n"), str(self.client_address[0])))


class Listener:
    """UDP + TCP on `host:port` (port 0: an ephemeral TCP port, UDP on the same number) and the batch writer."""

    def __init__(self, *, host: str, port: int, flush: Callable[[list[Line]], object]) -> None:
        self.lines: queue.Queue[Line] = queue.Queue(maxsize=200_000)
        self.tcp = _Tcp((host, port), _TcpHandler)
        self.tcp.lines = self.lines
        self.port = self.tcp.server_address[1]
        self.udp = _Udp((host, self.port), _UdpHandler)
        self.udp.lines = self.lines
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

    def _take(self) -> list[Line]:
        batch: list[Line] = []
        deadline = time.monotonic() + BATCH_SECONDS
        while len(batch) < BATCH_EVENTS:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                batch.append(self.lines.get(timeout=left))
            except queue.Empty:
                break
        return batch

    def _write(self) -> None:
        while not (self.stopping.is_set() and self.lines.empty()):
            batch = self._take()
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
