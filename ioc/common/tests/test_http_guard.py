"""The outbound client refuses internal addresses unless allow-listed (DESIGN "Contracts": Outbound HTTP)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from ioc.common import http


class _Server(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[dict[str, Any]] = []


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.seen.append({"path": self.path, "host": self.headers.get("Host")})
        size = int(self.path.rsplit("/", 1)[-1]) if self.path.startswith("/bytes/") else 2
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"x" * size)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.seen.append({"path": self.path, "body": self.rfile.read(length)})
        self.send_response(302)
        self.send_header("Location", "http://10.0.0.1/")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServerMixin:
    server: _Server
    port: int
    thread: threading.Thread

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()  # type: ignore[misc]
        cls.server = _Server()
        cls.port = cls.server.server_address[1]
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()

    def setUp(self) -> None:
        super().setUp()  # type: ignore[misc]
        self.server.seen.clear()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()  # type: ignore[misc]


@override_settings(OUTBOUND_ALLOWED_CIDRS=[])
class OutboundGuardTest(LocalServerMixin, SimpleTestCase):
    def test_it_refuses_loopback_by_default(self):
        with self.assertRaises(http.OutboundBlocked) as caught:
            http.get(f"http://127.0.0.1:{self.port}/")
        self.assertIn("OUTBOUND_ALLOWED_CIDRS", str(caught.exception))
        self.assertIn("127.0.0.1", str(caught.exception))
        self.assertEqual(self.server.seen, [])

    def test_it_allows_loopback_when_the_range_is_allow_listed(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"]):
            response = http.get(f"http://127.0.0.1:{self.port}/hello")
        self.assertEqual(response.status, 200)
        self.assertTrue(response.ok)
        self.assertEqual(response.body, b"xx")
        self.assertEqual(response.address, "127.0.0.1")

    def test_it_refuses_private_link_local_and_ipv6_loopback(self):
        for url in (
            "http://10.1.2.3/",
            "http://192.168.1.1/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:8080/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://100.64.0.1/",
        ):
            with self.subTest(url=url), self.assertRaises(http.OutboundBlocked):
                http.get(url)

    def test_it_refuses_a_name_that_resolves_to_loopback(self):
        with self.assertRaises(http.OutboundBlocked) as caught:
            http.get(f"http://localhost:{self.port}/")
        self.assertIn("localhost", str(caught.exception))
        self.assertEqual(self.server.seen, [])

    def test_it_sends_the_original_host_header_to_the_checked_address(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8", "::1/128"]):
            response = http.get(f"http://localhost:{self.port}/named")
        self.assertEqual(response.status, 200)
        self.assertIn(response.address, ("127.0.0.1", "::1"))
        self.assertEqual(self.server.seen[-1], {"path": "/named", "host": f"localhost:{self.port}"})

    def test_it_does_not_follow_redirects(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"]):
            response = http.post(f"http://127.0.0.1:{self.port}/hook", json={"a": "ả"})
        self.assertEqual(response.status, 302)
        self.assertEqual(self.server.seen[-1]["body"], '{"a":"ả"}'.encode())

    def test_it_refuses_a_response_larger_than_the_limit(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"]):
            ok = http.get(f"http://127.0.0.1:{self.port}/bytes/1000", max_bytes=1000)
            self.assertEqual(len(ok.body), 1000)
            with self.assertRaises(http.OutboundError) as caught:
                http.get(f"http://127.0.0.1:{self.port}/bytes/1001", max_bytes=1000)
        self.assertNotIsInstance(caught.exception, http.OutboundBlocked)
        self.assertIn("1000", str(caught.exception))

    def test_it_refuses_other_schemes_and_urls_without_host(self):
        for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://example.org/", "http:///path"):
            with self.subTest(url=url), self.assertRaises(http.OutboundBlocked):
                http.get(url)

    def test_it_reports_an_unresolvable_name(self):
        with self.assertRaises(http.OutboundError) as caught:
            http.get("http://no-such-host.invalid/")
        self.assertNotIsInstance(caught.exception, http.OutboundBlocked)
        self.assertIn("no-such-host.invalid", str(caught.exception))

    def test_it_reports_a_refused_connection(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["127.0.0.0/8"]):
            closed = _Server()
            port = closed.server_address[1]
            closed.server_close()
            with self.assertRaises(http.OutboundError):
                http.get(f"http://127.0.0.1:{port}/")

    def test_it_names_a_malformed_allow_list_entry(self):
        with override_settings(OUTBOUND_ALLOWED_CIDRS=["not-a-range"]), self.assertRaises(ImproperlyConfigured) as c:
            http.get(f"http://127.0.0.1:{self.port}/")
        self.assertIn("not-a-range", str(c.exception))

    def test_it_accepts_public_addresses_in_the_guard(self):
        self.assertTrue(http.address_allowed("8.8.8.8", []))
        self.assertTrue(http.address_allowed("2001:4860:4860::8888", []))
        self.assertFalse(http.address_allowed("fe80::1", []))
        self.assertFalse(http.address_allowed("fc00::1", []))
