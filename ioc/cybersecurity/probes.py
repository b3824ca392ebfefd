"""R5.6: the checks of one watched asset, network only (no database): availability and response time, redirects
(up to 5 hops, each through the guarded client again), TLS validity and days to expiry, security headers, DNS
answers against the registered ones, and defacement (a fingerprint of chosen page regions plus forbidden words, and
the regions' same-host images by perceptual hash against the asset's baseline and its known defacement images).

All traffic goes through `ioc.common.http` (address guard); a failure becomes a problem with its reason, never an
exception out of `probe`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import dns.exception
import dns.resolver
import lxml.html
from cryptography import x509
from cssselect import SelectorError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from ioc.common import http
from ioc.common.text import fold
from ioc.cybersecurity import imagehash, screenshots
from ioc.cybersecurity.choices import CERT_WARNING_DAYS, MAX_REDIRECTS, Rule

BODY_LIMIT = 2 * 1024 * 1024
# One image's fetch: shorter than a page's, so that CYBER_IMAGE_MAX_COUNT images stay inside the check's lease.
IMAGE_TIMEOUT_SECONDS = 5.0
SECURITY_HEADERS = ("strict-transport-security", "x-content-type-options", "content-security-policy")


@dataclass(frozen=True)
class Target:
    """What a check needs to know of an asset (read from its row before the network part)."""

    url: str
    dns_expected: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    forbidden_words: tuple[str, ...] = ()
    baseline: str = ""
    fingerprint: str = ""
    # the regions' images at the baseline (URL, dHash); None: no image baseline taken yet
    image_baseline: tuple[tuple[str, str], ...] | None = None
    forbidden_images: tuple[str, ...] = ()


@dataclass
class Outcome:
    """The result of one check: `problems` maps a Rule to its reason; `detail` carries what the pages show."""

    ok: bool = False
    status_code: int | None = None
    response_ms: int | None = None
    cert_days: int | None = None
    cert_not_after: dt.datetime | None = None
    fingerprint: str = ""
    region_text: str = ""
    images: dict[str, str] | None = None  # the regions' readable images now: URL → dHash
    screenshot: bytes = b""  # PNG of a defaced page (screenshots.py)
    problems: dict[str, str] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return "; ".join(f"{rule}: {why}" for rule, why in self.problems.items())


def probe(target: Target, *, now: dt.datetime | None = None) -> Outcome:
    """Run every check of `target`; never raises for what the remote side does."""
    outcome = Outcome()
    now = now or timezone.now()
    final = _fetch(target.url, outcome)
    parts = urlsplit(target.url)
    if parts.scheme == "https" and parts.hostname:
        _check_tls(parts.hostname, parts.port or 443, outcome, now)
    if final is not None:
        _check_headers(final, outcome)
        _check_page(final, target, outcome)
        if Rule.DEFACEMENT in outcome.problems and screenshots.enabled():
            _screenshot(final.url, outcome)
    if target.dns_expected and parts.hostname:
        _check_dns(parts.hostname, target.dns_expected, outcome)
    return outcome


def _fetch(url: str, outcome: Outcome) -> http.Response | None:
    """GET with redirects followed by hand, each hop through the guard; a loop or > 5 hops is a problem."""
    seen: list[str] = [url]
    started = time.monotonic()
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            response = http.get(current, max_bytes=BODY_LIMIT)
        except http.OutboundError as exc:
            outcome.problems[Rule.DOWN] = str(exc)
            return None
        location = response.headers.get("location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return _answered(response, outcome, started, seen)
        current = urljoin(current, location)
        if current in seen:
            outcome.problems[Rule.REDIRECT] = "Vòng lặp chuyển hướng / Redirect loop: " + " → ".join([*seen, current])
            outcome.problems[Rule.DOWN] = "Vòng lặp chuyển hướng / Redirect loop"
            return None
        seen.append(current)
    outcome.problems[Rule.REDIRECT] = f"Quá {MAX_REDIRECTS} lần chuyển hướng / More than {MAX_REDIRECTS} redirects"
    outcome.problems[Rule.DOWN] = outcome.problems[Rule.REDIRECT]
    return None


def _answered(response: http.Response, outcome: Outcome, started: float, seen: list[str]) -> http.Response:
    outcome.status_code = response.status
    outcome.response_ms = int((time.monotonic() - started) * 1000)
    outcome.detail["redirects"] = seen[1:]
    if response.status >= 400:
        outcome.problems[Rule.DOWN] = f"HTTP {response.status}"
        return response
    outcome.ok = True
    if outcome.response_ms > settings.CYBER_SLOW_MS:
        outcome.problems[Rule.SLOW] = f"{outcome.response_ms} ms > {settings.CYBER_SLOW_MS} ms"
    start_host, end_host = urlsplit(seen[0]).hostname, urlsplit(seen[-1]).hostname
    if start_host != end_host:
        outcome.problems[Rule.REDIRECT] = f"Chuyển sang tên miền khác / Redirected to another host: {end_host}"
    return response


def _check_tls(host: str, port: int, outcome: Outcome, now: dt.datetime) -> None:
    try:
        found = http.certificate_probe(host, port)
    except http.OutboundError as exc:
        outcome.problems[Rule.TLS] = str(exc)
        return
    try:
        cert = x509.load_der_x509_certificate(found.der)
    except ValueError as exc:
        outcome.problems[Rule.TLS] = f"Chứng thư không đọc được / Unreadable certificate: {exc}"
        return
    outcome.cert_not_after = cert.not_valid_after_utc
    outcome.cert_days = (cert.not_valid_after_utc - now).days
    outcome.detail["cert_issuer"] = cert.issuer.rfc4514_string()[:200]
    if not found.verified:
        outcome.problems[Rule.TLS] = found.error or "Không xác thực được / Not verified"
    elif outcome.cert_days <= CERT_WARNING_DAYS[0]:
        outcome.problems[Rule.CERT_EXPIRY] = f"Còn {outcome.cert_days} ngày / {outcome.cert_days} days left"


def _check_headers(response: http.Response, outcome: Outcome) -> None:
    if not response.ok:
        return
    wanted = [h for h in SECURITY_HEADERS if h != "strict-transport-security" or response.url.startswith("https")]
    missing = [h for h in wanted if h not in response.headers]
    if missing:
        outcome.problems[Rule.HEADERS] = "Thiếu / Missing: " + ", ".join(missing)


def _check_dns(host: str, expected: tuple[str, ...], outcome: Outcome) -> None:
    try:
        answers = sorted({str(r) for r in _resolver().resolve(host, "A", lifetime=5.0)})
    except (dns.exception.DNSException, OSError) as exc:
        outcome.problems[Rule.DNS] = f"Không hỏi được DNS / DNS query failed: {exc.__class__.__name__}"
        return
    outcome.detail["dns"] = answers
    if set(answers) != set(expected):
        outcome.problems[Rule.DNS] = "Trả lời {} ≠ đăng ký {} / Answers differ from the registered ones".format(
            ", ".join(answers), ", ".join(sorted(expected))
        )


def _resolver() -> dns.resolver.Resolver:
    servers = list(settings.CYBER_DNS_NAMESERVERS)
    if not servers:
        return dns.resolver.Resolver()
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [s.rsplit(":", 1)[0] if s.count(":") == 1 else s for s in servers]
    ports = {int(s.rsplit(":", 1)[1]) for s in servers if s.count(":") == 1}
    if ports:
        resolver.port = ports.pop()
    return resolver


def region_text(html: bytes, selectors: tuple[str, ...]) -> str:
    """The text of the chosen regions, whitespace collapsed, one region per line (the whole body without any)."""
    chunks: list[str] = []
    for selector, nodes in _regions(_document(html), selectors):
        if nodes is None:
            chunks.append(f"[{selector}: ?]")
            continue
        chunks.extend(" ".join("".join(node.itertext()).split()) for node in nodes)
    return "\n".join(chunks)


def _regions(doc: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> list[tuple[str, list[Any] | None]]:
    found: list[tuple[str, list[Any] | None]] = []
    for selector in selectors or ("body",):
        try:
            found.append((selector, doc.cssselect(selector)))
        except SelectorError:
            found.append((selector, None))
    return found


def region_images(html: bytes, selectors: tuple[str, ...], page_url: str) -> list[str]:
    """The absolute URLs of the `<img>` in the chosen regions that live on the page's own host (http/https), in
    page order, without repeats, at most `CYBER_IMAGE_MAX_COUNT`: another host's picture is not the site's."""
    host = urlsplit(page_url).hostname
    urls: list[str] = []
    for _selector, nodes in _regions(_document(html), selectors):
        for node in nodes or []:
            for img in node.iter("img"):
                src = (img.get("src") or "").strip()
                url = urljoin(page_url, src) if src else ""
                parts = urlsplit(url)
                if parts.scheme in ("http", "https") and parts.hostname == host and url not in urls:
                    urls.append(url)
    return urls[: settings.CYBER_IMAGE_MAX_COUNT]


def _document(html: bytes) -> lxml.html.HtmlElement:
    """The page parsed as UTF-8 (what Vietnamese government sites serve; invalid bytes replaced)."""
    try:
        return lxml.html.document_fromstring(html.decode("utf-8", errors="replace"))
    except (ValueError, lxml.etree.ParserError):
        return lxml.html.document_fromstring(b"<html><body></body></html>")


def fingerprint_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _check_page(response: http.Response, target: Target, outcome: Outcome) -> None:
    if not response.ok:
        return
    text = region_text(response.body, target.selectors)
    outcome.region_text, outcome.fingerprint = text, fingerprint_of(text)
    reasons: list[str] = []
    if target.fingerprint and outcome.fingerprint != target.fingerprint:
        diff = difflib.unified_diff(target.baseline.splitlines(), text.splitlines(), "gốc", "hiện tại", lineterm="")
        outcome.detail["diff"] = "\n".join(list(diff)[:200])
        reasons.append("Vùng theo dõi đã thay đổi / The watched regions changed")
    page = fold(" ".join("".join(_document(response.body).itertext()).split()))
    found = [w for w in target.forbidden_words if w.strip() and fold(w) in page]
    if found:
        outcome.detail["forbidden"] = found
        reasons.append("Có từ ngữ cấm / Forbidden words: " + ", ".join(found))
    reasons += _check_images(response, target, outcome)
    if reasons:
        outcome.problems[Rule.DEFACEMENT] = "; ".join(reasons)


def _image_hash(url: str) -> str:
    """The dHash of one image fetched through the guard and cleaned; raises ValueError with the reason."""
    try:
        response = http.get(url, max_bytes=settings.CYBER_IMAGE_MAX_BYTES, timeout=IMAGE_TIMEOUT_SECONDS)
    except http.OutboundError as exc:
        raise ValueError(str(exc)) from exc
    if not response.ok:
        raise ValueError(f"HTTP {response.status}")
    try:
        return imagehash.dhash_bytes(response.body, max_bytes=settings.CYBER_IMAGE_MAX_BYTES)
    except ValidationError as exc:
        raise ValueError("; ".join(str(m) for m in exc.messages)) from exc


def _check_images(response: http.Response, target: Target, outcome: Outcome) -> list[str]:
    """R5.6: the regions' images hashed; a known defacement image, or against the baseline a changed, gone or new
    image, is a reason (each with its URL and distance). An image refused by the guard or the cleaner is listed
    in `detail["images_refused"]`, and is a reason only when the baseline had it."""
    limit = settings.CYBER_IMAGE_HASH_DISTANCE
    hashes: dict[str, str] = {}
    refused: dict[str, str] = {}
    for url in region_images(response.body, target.selectors, response.url):
        try:
            hashes[url] = _image_hash(url)
        except ValueError as exc:
            refused[url] = str(exc)[:300]
    outcome.images = hashes
    outcome.detail["images"] = hashes
    if refused:
        outcome.detail["images_refused"] = refused
    reasons = []
    for url, found in hashes.items():
        near = imagehash.nearest(found, target.forbidden_images)
        if near and near[1] <= limit:
            reasons.append(f"Ảnh tấn công đã biết / A known defacement image: {url} ({near[1]} bit)")
    if target.image_baseline is None:
        return reasons
    baseline = dict(target.image_baseline)
    for url, before in baseline.items():
        if url in refused:
            reasons.append(f"Ảnh không đọc được / Image refused: {url}: {refused[url]}")
        elif url in hashes and (d := imagehash.distance(before, hashes[url])) > limit:
            reasons.append(f"Ảnh đã thay đổi / Image changed: {url} ({d} bit > {limit})")
        elif url not in hashes and not _near_any(before, hashes.values(), limit):
            reasons.append(f"Ảnh không còn / Image gone: {url}")
    for url, found in hashes.items():
        if url not in baseline and not _near_any(found, baseline.values(), limit):
            reasons.append(f"Ảnh mới / New image: {url}")
    return reasons


def _near_any(found: str, known: Any, limit: int) -> bool:
    return any(imagehash.distance(found, k) <= limit for k in known)


def _screenshot(url: str, outcome: Outcome) -> None:
    """R5.6: the defaced page as a browser shows it (every request through the guard); a failure is noted, the
    check's finding stands without it."""
    try:
        shot = screenshots.take(url)
    except screenshots.ScreenshotError as exc:
        outcome.detail["screenshot_error"] = str(exc)[:300]
        return
    outcome.screenshot = shot.png
    outcome.detail["screenshot_requests"] = shot.requests
    if shot.blocked:
        outcome.detail["screenshot_blocked"] = shot.blocked[:20]
