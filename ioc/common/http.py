"""The one outbound HTTP client for connectors, webhooks and federation (DESIGN "Contracts": Outbound HTTP).

The host is resolved once; every address is checked against the guard (loopback, private, link-local,
multicast, reserved, unspecified and other non-global ranges are refused unless an administrator
allow-lists the range in `settings.OUTBOUND_ALLOWED_CIDRS`); the socket then connects to the checked address
itself, so a DNS answer that changes between check and connect (rebinding) cannot swap it. The original
host name still goes out in the `Host` header and as TLS SNI, and certificates are verified against it.
Redirects are never followed (a 3xx is returned as is). Timeouts come from `settings.OUTBOUND_TIMEOUT_SECONDS`;
a response longer than `max_bytes` is an error.
"""

from __future__ import annotations

import http.client
import ipaddress
import json as jsonlib
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024
USER_AGENT = "IOC/1.0 (+outbound)"


class OutboundError(Exception):
    """The request could not be completed (resolution, connection, timeout, size, protocol)."""


class OutboundBlocked(OutboundError):
    """The destination is not allowed: a non-HTTP scheme or an address in a refused range."""


@dataclass(frozen=True)
class Response:
    """A finished response; `headers` keys are lower case."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str
    address: str = ""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return jsonlib.loads(self.body)


def allowed_networks() -> list[IPNetwork]:
    """The administrator's allow-list; a malformed entry is a configuration error, named."""
    networks: list[IPNetwork] = []
    for entry in getattr(settings, "OUTBOUND_ALLOWED_CIDRS", []):
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"OUTBOUND_ALLOWED_CIDRS: {entry!r} is not a CIDR range") from exc
    return networks


def _normalise(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_refused_range(address: IPAddress) -> bool:
    """True for loopback, private, link-local, multicast, reserved, unspecified or otherwise non-global."""
    address = _normalise(address)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def address_allowed(address: str, networks: list[IPNetwork] | None = None) -> bool:
    """Whether a connection to `address` (a literal IP) is allowed under the guard."""
    ip = _normalise(ipaddress.ip_address(address.split("%", 1)[0]))
    nets = allowed_networks() if networks is None else networks
    if any(ip.version == net.version and ip in net for net in nets):
        return True
    return not is_refused_range(ip)


def resolve_checked(host: str, port: int) -> list[str]:
    """Resolve `host` and return the allowed addresses; raise OutboundBlocked if none is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundError(f"Không phân giải được tên máy / Cannot resolve host {host!r}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    networks = allowed_networks()
    allowed = [a for a in addresses if address_allowed(a, networks)]
    if not allowed:
        raise OutboundBlocked(
            f"Địa chỉ bị chặn / Outbound address refused: {host!r} resolves to {', '.join(addresses)} "
            "(loopback, private, link-local, multicast or reserved range; an administrator may allow-list "
            "the range in OUTBOUND_ALLOWED_CIDRS)"
        )
    return allowed


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a checked IP while `Host` names the original host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._pinned = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._pinned, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to a checked IP with SNI and certificate verification for the original host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._pinned = address
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self._pinned, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def tls_context() -> ssl.SSLContext:
    """The system's trusted CAs plus the administrator's extra ones (`settings.OUTBOUND_EXTRA_CA_FILE`, PEM)."""
    context = ssl.create_default_context()
    extra = getattr(settings, "OUTBOUND_EXTRA_CA_FILE", "")
    if extra:
        try:
            context.load_verify_locations(cafile=extra)
        except (OSError, ssl.SSLError) as exc:
            raise ImproperlyConfigured(f"OUTBOUND_EXTRA_CA_FILE: cannot load {extra!r}: {exc}") from exc
    return context


def _connection(scheme: str, host: str, port: int, address: str, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, address=address, timeout=timeout, context=tls_context())
    return _PinnedHTTPConnection(host, port, address=address, timeout=timeout)


def _read_limited(resp: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise OutboundError("Hết thời gian chờ / Timed out reading the response")
        chunk = resp.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise OutboundError(f"Phản hồi quá lớn / Response larger than {max_bytes} bytes")
        chunks.append(chunk)


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def _parse(url: str) -> _Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutboundBlocked(f"Chỉ cho phép http/https / Only http and https are allowed, got {url!r}")
    if not parts.hostname:
        raise OutboundBlocked(f"Thiếu tên máy / URL has no host: {url!r}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise OutboundBlocked(f"Cổng không hợp lệ / Invalid port in {url!r}") from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, parts.hostname, port, path)


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    json: Any = None,
    timeout: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Response:
    """Send one request through the address guard; raise OutboundBlocked or OutboundError."""
    target = _parse(url)
    timeout = float(timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS)
    send_headers = {"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
    if json is not None:
        body = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
        send_headers.setdefault("Content-Type", "application/json")
    addresses = resolve_checked(target.host, target.port)
    last_error: Exception | None = None
    for address in addresses:
        try:
            return _send(target, address, method.upper(), send_headers, body, timeout, max_bytes, url)
        except OSError as exc:  # connection refused / unreachable: try the next checked address
            last_error = exc
    raise OutboundError(f"Không kết nối được / Cannot connect to {target.host!r}: {last_error}")


def _send(
    target: _Target,
    address: str,
    method: str,
    headers: Mapping[str, str],
    body: bytes | None,
    timeout: float,
    max_bytes: int,
    url: str,
) -> Response:
    started = time.monotonic()
    conn = _connection(target.scheme, target.host, target.port, address, timeout)
    try:
        try:
            conn.request(method, target.path, body=body, headers=dict(headers))
            resp = conn.getresponse()
        except TimeoutError as exc:
            raise OutboundError(f"Hết thời gian chờ / Timed out after {timeout:g} s: {url}") from exc
        except ssl.SSLError as exc:
            raise OutboundError(f"Lỗi TLS / TLS error with {target.host!r}: {exc}") from exc
        except http.client.HTTPException as exc:
            raise OutboundError(f"Lỗi giao thức HTTP / HTTP protocol error: {exc}") from exc
        try:
            data = _read_limited(resp, max_bytes, started + timeout * 4)
        except (OSError, http.client.HTTPException) as exc:
            raise OutboundError(f"Lỗi đọc phản hồi / Error reading the response: {exc}") from exc
        resp_headers = {k.lower(): v for k, v in resp.getheaders()}
        return Response(resp.status, resp_headers, data, url, address, time.monotonic() - started)
    finally:
        conn.close()


def get(url: str, **kwargs: Any) -> Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs: Any) -> Response:
    return request("POST", url, **kwargs)


@dataclass(frozen=True)
class CertificateProbe:
    """What a TLS handshake with a checked address showed: the peer certificate (DER, read even when verification
    fails), whether it verified for the host name against the trusted CAs, and the verification error."""

    address: str
    der: bytes
    verified: bool
    error: str = ""


def _handshake(address: str, host: str, port: int, context: ssl.SSLContext, timeout: float) -> bytes:
    with (
        socket.create_connection((address, port), timeout) as sock,
        context.wrap_socket(sock, server_hostname=host) as tls,
    ):
        return tls.getpeercert(binary_form=True) or b""


def certificate_probe(host: str, port: int = 443, *, timeout: float | None = None) -> CertificateProbe:
    """The certificate of `host:port` on its first `resolve_checked` address (the guard applies), read without
    verification, then verified in a second handshake; OutboundError when no TLS handshake completes at all."""
    seconds = float(timeout if timeout is not None else settings.OUTBOUND_TIMEOUT_SECONDS)
    address = resolve_checked(host, port)[0]
    unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    try:
        der = _handshake(address, host, port, unverified, seconds)
    except (OSError, ssl.SSLError) as exc:
        raise OutboundError(f"Lỗi bắt tay TLS / TLS handshake failed with {host!r}: {exc}") from exc
    try:
        _handshake(address, host, port, tls_context(), seconds)
    except ssl.SSLCertVerificationError as exc:
        return CertificateProbe(address, der, False, str(exc.verify_message or exc))
    except (OSError, ssl.SSLError) as exc:
        return CertificateProbe(address, der, False, str(exc))
    return CertificateProbe(address, der, True)
