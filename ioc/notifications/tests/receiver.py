"""A real HTTP receiver on 127.0.0.1 for webhook and SMS gateway tests (started in the test's thread)."""

from __future__ import annotations

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


class _Server(ThreadingHTTPServer):
    def __init__(self, status: int, reply: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[dict[str, Any]] = []
        self.status = status
        self.reply = reply


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.server.received.append(
            {"method": self.command, "path": self.path, "query": query, "headers": dict(self.headers), "body": body}
        )
        self.send_response(self.server.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(self.server.reply)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Receiver:
    """`with Receiver() as r:` serves on r.url; change r.set(status=…, reply=…); read r.received."""

    def __init__(self, status: int = 200, reply: bytes = b"OK") -> None:
        self.server = _Server(status, reply)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def received(self) -> list[dict[str, Any]]:
        return self.server.received

    def set(self, *, status: int | None = None, reply: bytes | None = None) -> None:
        if status is not None:
            self.server.status = status
        if reply is not None:
            self.server.reply = reply

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify_signature(body: bytes, header: str, key: str) -> bool:
    """What a receiver does: recompute HMAC-SHA256 of the raw body and compare in constant time."""
    expected = "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header)
