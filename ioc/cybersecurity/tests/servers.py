"""Local servers for the checks' tests: HTTP and HTTPS (trustme certificates) on 127.0.0.1 with pages set per test,
a TCP server that answers garbage or nothing, and a dnslib DNS server on a loopback port."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import trustme
from dnslib import QTYPE, RR, A, DNSRecord
from dnslib.server import BaseResolver, DNSServer

GOOD_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Strict-Transport-Security": "max-age=31536000",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'",
}


@dataclass
class Page:
    status: int = 200
    body: bytes = b"<html><body><div id='main'>Xin chao</div></body></html>"
    headers: dict[str, str] = field(default_factory=lambda: dict(GOOD_HEADERS))
    delay: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages: dict[str, Page] = {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        page = self.server.pages.get(self.path, Page(status=404, body=b"not found"))
        if page.delay:
            time.sleep(page.delay)
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class WebServer:
    """A threaded HTTP server on 127.0.0.1, with TLS when given a leaf certificate."""

    def __init__(self, cert: trustme.LeafCert | None = None) -> None:
        self.httpd = _Server()
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(context)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if cert is not None else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def pages(self) -> dict[str, Page]:
        return self.httpd.pages

    def url(self, path: str = "/", host: str = "localhost") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class RawServer:
    """Accepts TCP connections and either sends `reply` and closes, or holds them silently."""

    def __init__(self, reply: bytes | None) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.reply, self.stopped = reply, False
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            if self.reply is None:
                self.held.append(conn)
                continue
            with contextlib.suppress(OSError):
                conn.sendall(self.reply)
            conn.close()

    def close(self) -> None:
        self.stopped = True
        self.sock.close()
        for conn in self.held:
            conn.close()


class _Resolver(BaseResolver):  # type: ignore[misc]
    def __init__(self) -> None:
        self.answers: list[str] = []

    def resolve(self, request: DNSRecord, handler: Any) -> DNSRecord:
        reply = request.reply()
        if request.q.qtype == QTYPE.A:
            for address in self.answers:
                reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(address), ttl=60))
        return reply


class DnsServer:
    """A dnslib UDP server on 127.0.0.1 answering every A question with `answers`."""

    def __init__(self, answers: list[str]) -> None:
        self.resolver = _Resolver()
        self.resolver.answers = answers
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.server = DNSServer(self.resolver, address="127.0.0.1", port=self.port)
        self.server.start_thread()

    def close(self) -> None:
        self.server.stop()


def issue(ca: trustme.CA, *names: str, days: float = 365) -> trustme.LeafCert:
    now = dt.datetime.now(dt.UTC)
    not_before = now - dt.timedelta(days=400) if days < 0 else now - dt.timedelta(hours=1)
    return ca.issue_cert(*names, not_before=not_before, not_after=now + dt.timedelta(days=days))
