"""A local HTTP server for the collectors' tests (loopback is allow-listed only in those tests)."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "application/xml"
    etag: str = ""


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.seen: list[dict[str, Any]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.seen.append({"path": self.path, **headers})
        route = self.server.routes.get(self.path, Route(b"not found", 404, "text/plain"))
        if route.etag and headers.get("if-none-match") == route.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        if route.etag:
            self.send_header("ETag", route.etag)
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SiteMixin:
    site: Site

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()  # type: ignore[misc]
        cls.site = Site()
        cls.site.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.site.stop()
        super().tearDownClass()  # type: ignore[misc]

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.site.routes.clear()
        self.site.seen.clear()


def cp1258(text: str) -> bytes:
    """`text` in Windows-1258: letters with their vowel marks precomposed, tone marks as combining characters."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def rss(items: list[dict[str, str]], *, encoding: str = "utf-8") -> str:
    entries = "".join(
        "<item>" + "".join(f"<{tag}>{value}</{tag}>" for tag, value in item.items()) + "</item>" for item in items
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>Báo thử</title>'
        f"<link>http://example.invalid/</link><description>thử</description>{entries}</channel></rss>"
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Cổng thông tin thử</title><id>urn:thu</id>
<updated>2026-12-01T08:00:00Z</updated>
<entry><title>Thông báo lịch cắt điện khu vực phường Trung tâm</title><id>urn:thu:1</id>
<link href="http://news.invalid/cat-dien-1"/><updated>2026-12-01T08:00:00Z</updated>
<author><name>Phòng Truyền thông</name></author>
<summary type="html">&lt;p&gt;Cắt điện từ 7 giờ đến 11 giờ.&lt;/p&gt;</summary></entry>
</feed>"""
